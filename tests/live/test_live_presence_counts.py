"""The head count shared through Redis is kept as people come and go (reading it no longer sums every member's
entry, which made a full room's arrival quadratic): it must still count each person once however many tabs
they open, list the institutions present, forget whoever left, and not count twice a connection registered
again after a Redis outage (queue.py re-adds every local connection)."""
import shutil

import pytest

from roadshow.live.presence import INSTITUTIONS_NAMED, Connection, MemoryPresence, RedisPresence

from ..support.server import redis_server

pytestmark = pytest.mark.skipif(shutil.which("redis-server") is None,
                                reason="redis-server is not installed (apt-get install redis-server)")


def test_people_and_institutions_follow_joins_tabs_leaves_and_re_registration(tmp_path):
    with redis_server(tmp_path) as url:
        one, two = RedisPresence(url), RedisPresence(url)  # two server processes
        first_tab = Connection("sid-a1", 7, 1, "光谷创投")
        second_tab = Connection("sid-a2", 7, 1, "光谷创投")
        other = Connection("sid-b", 7, 2, "东湖资本")
        anonymous = Connection("sid-c", 7, None, None)
        elsewhere = Connection("sid-d", 8, 3, "江城基金")
        one.add(first_tab)
        two.add(second_tab)
        two.add(other)
        one.add(anonymous)
        one.add(elsewhere)
        assert one.summary(7) == {"count": 3, "institutions": ["东湖资本", "光谷创投"], "institution_count": 2}
        assert two.summary(8) == {"count": 1, "institutions": ["江城基金"], "institution_count": 1}
        # each person's connections, wherever they are held (a sign-out or a lost seat reaches every tab)
        assert sorted(c.sid for c in one.of_user(1)) == ["sid-a1", "sid-a2"]
        assert [c.session_id for c in two.of_user(3)] == [8]

        one.add(first_tab)  # registered again after an outage: nothing changes
        assert two.summary(7) == {"count": 3, "institutions": ["东湖资本", "光谷创投"], "institution_count": 2}

        one.remove(first_tab)  # the person still has a tab open
        assert two.summary(7) == {"count": 3, "institutions": ["东湖资本", "光谷创投"], "institution_count": 2}
        assert [c.sid for c in two.of_user(1)] == ["sid-a2"]
        two.remove(other)
        two.remove(other)  # a second goodbye for the same connection changes nothing
        assert one.summary(7) == {"count": 2, "institutions": ["光谷创投"], "institution_count": 1}
        two.remove(second_tab)
        one.remove(anonymous)
        assert one.summary(7) == {"count": 0, "institutions": [], "institution_count": 0}
        assert one.members(7) == []
        assert two.summary(8) == {"count": 1, "institutions": ["江城基金"], "institution_count": 1}


def test_a_room_names_its_most_represented_institutions_and_counts_the_rest_the_same_with_or_without_redis(
        tmp_path):
    """A province-wide roadshow draws hundreds of institutions; every member is sent the presence at each change,
    so it names the INSTITUTIONS_NAMED most represented and counts them all."""
    crowded = [f"机构{n:02d}" for n in range(5)]  # three people each
    others = [f"机构{n:02d}" for n in range(5, INSTITUTIONS_NAMED + 10)]  # one each
    connections = [Connection(f"sid-{name}-{k}", 7, 1000 * n + k, name)
                   for n, name in enumerate(crowded) for k in range(3)]
    connections += [Connection(f"sid-{name}", 7, 100 + n, name) for n, name in enumerate(others)]
    with redis_server(tmp_path) as url:
        shared, local = RedisPresence(url), MemoryPresence()
        for conn in connections:
            shared.add(conn)
            local.add(conn)
        summary = shared.summary(7)
        assert summary == local.summary(7)
        assert summary["count"] == 15 + len(others)
        assert summary["institution_count"] == INSTITUTIONS_NAMED + 10
        named = summary["institutions"]
        assert len(named) == INSTITUTIONS_NAMED and named == sorted(named) and set(crowded) <= set(named)

        for conn in connections[:3]:  # 机构00's three people leave: it is no longer named, nor counted
            shared.remove(conn)
            local.remove(conn)
        summary = shared.summary(7)
        assert summary == local.summary(7)
        assert summary["institution_count"] == INSTITUTIONS_NAMED + 9 and "机构00" not in summary["institutions"]
