"""Check-in at the door in Chromium: a partner organiser's session; two investors book and open their tickets;
the organiser's phone reads the first QR code from a photo, then, with the network gone, keeps the second code
typed at the door and sends it when the network is back; both show as present, on the door page and on the
organiser's desk."""
import re

import segno
from playwright.sync_api import expect


def ticket_code(page, session_id: int) -> str:
    page.goto(f"/sessions/{session_id}")
    book = page.get_by_role("button", name="预约席位")
    if book.count():  # the demo data may already hold a seat
        book.click()
    page.locator("a[href^='/checkin/bookings/']").first.click()
    return page.locator("#checkin-code").inner_text().strip()


def test_the_door_reads_a_photo_and_keeps_codes_while_offline(open_page, screenshot, tmp_path):
    organiser = open_page("organiser1@roadshow.demo")
    organiser.goto("/organise/")
    door = organiser.locator("a[href^='/checkin/sessions/']").first.get_attribute("href")
    session_id = int(re.search(r"/checkin/sessions/(\d+)", door).group(1))
    first, second = (ticket_code(open_page(email), session_id)
                     for email in ("investor06@roadshow.demo", "investor07@roadshow.demo"))

    organiser.goto(door)
    photo = tmp_path / "ticket.png"
    segno.make(first, error="m").save(photo, scale=8, border=4)  # what a phone photo of the ticket holds
    organiser.set_input_files("#checkin-photo", str(photo))
    expect(organiser.locator(".alert-success")).to_contain_text("签到成功")

    organiser.context.set_offline(True)
    organiser.fill("#checkin-form [name=code]", second)
    organiser.locator("#checkin-form button[type=submit]").click()
    pending = organiser.locator("#checkin-pending")
    expect(pending).to_contain_text("1 个签到码保存在本机")
    screenshot(organiser, "checkin-offline")
    organiser.context.set_offline(False)  # the page sends the kept code and reloads with the answer
    expect(organiser.locator(".alert-success")).to_contain_text("签到成功")
    expect(pending).to_be_hidden()
    expect(organiser.get_by_text("到场 2 / 预约 2")).to_be_visible()
    screenshot(organiser, "checkin-door")

    organiser.goto("/organise/")
    expect(organiser.locator(f"tr:has(a[href='{door}'])")).to_contain_text("2 / 2")
