"""Deal pipeline pages: the deals a user may see, and one deal with its history and the move form."""
from flask import Blueprint, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..common.actions import save_form
from ..common.forms import wan_to_yuan
from ..common.lookup import get_visible_or_404
from ..extensions import db
from . import services
from .forms import MoveForm
from .models import PIPELINE, Deal, DealStage
from .policies import can_view_deal

bp = Blueprint("deals", __name__, url_prefix="/deals")


def _deal(deal_id: int) -> Deal:
    return get_visible_or_404(Deal, deal_id, can_view_deal)  # a third party does not learn that the deal exists


def _next_stage(deal: Deal) -> DealStage:
    if deal.stage == DealStage.DROPPED:
        return DealStage.INTEREST
    return PIPELINE[min(PIPELINE.index(deal.stage) + 1, len(PIPELINE) - 1)]


@bp.get("/")
@login_required
def index():
    deals = db.session.scalars(services.visible_deals(current_user)).all()
    columns = [(stage, [d for d in deals if d.stage == stage]) for stage in (*PIPELINE, DealStage.DROPPED)]
    signed = sum(d.amount or 0 for d in deals if d.stage == DealStage.SIGNED)
    return render_template("deals/index.html", columns=columns, total=len(deals), signed=signed)


@bp.route("/<int:deal_id>", methods=["GET", "POST"])
@login_required
def detail(deal_id: int):
    deal = _deal(deal_id)
    form = MoveForm()
    if not form.is_submitted():
        form.stage.data = _next_stage(deal).value

    def move():
        return services.move(deal, current_user, DealStage(form.stage.data), amount=wan_to_yuan(form.amount.data),
                             signed_on=form.signed_on.data, reason=form.reason.data or "")

    if save_form(form, move, lambda d: _("交易已推进到“%(stage)s”。", stage=d.stage.label)):
        return redirect(url_for(".detail", deal_id=deal_id))
    return render_template("deals/detail.html", deal=deal, form=form, pipeline=PIPELINE,
                           can_move=deal.stage != DealStage.SIGNED)
