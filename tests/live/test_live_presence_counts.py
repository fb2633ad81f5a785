"""The head count shared through Redis is kept as people come and go (reading it no longer sums every member's
entry, which made a full room's arrival quadratic): it must still count each person once however many tabs
they open, list the institutions present, forget whoever left, and not count twice a connection registered
again after a Redis outage (queue.py re-adds every local connection)."""
import shutil

import pytest

from roadshow.live.presence import Connection, RedisPresence

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
        assert one.summary(7) == {"count": 3, "institutions": ["东湖资本", "光谷创投"]}
        assert two.summary(8) == {"count": 1, "institutions": ["江城基金"]}
        # each person's connections, wherever they are held (a sign-out or a lost seat reaches every tab)
        assert sorted(c.sid for c in one.of_user(1)) == ["sid-a1", "sid-a2"]
        assert [c.session_id for c in two.of_user(3)] == [8]

        one.add(first_tab)  # registered again after an outage: nothing changes
        assert two.summary(7) == {"count": 3, "institutions": ["东湖资本", "光谷创投"]}

        one.remove(first_tab)  # the person still has a tab open
        assert two.summary(7) == {"count": 3, "institutions": ["东湖资本", "光谷创投"]}
        assert [c.sid for c in two.of_user(1)] == ["sid-a2"]
        two.remove(other)
        two.remove(other)  # a second goodbye for the same connection changes nothing
        assert one.summary(7) == {"count": 2, "institutions": ["光谷创投"]}
        two.remove(second_tab)
        one.remove(anonymous)
        assert one.summary(7) == {"count": 0, "institutions": []}
        assert one.members(7) == []
        assert two.summary(8) == {"count": 1, "institutions": ["江城基金"]}
