"""Enumerations a user picks from, each member carrying its display data.

Values are stable codes stored in the database; labels are Chinese msgids wrapped
in lazy_gettext so that an English catalog can translate them; statuses also carry the
Bootstrap colour of their badge (`text-bg-<badge>`, `alert-<badge>`). Questions a page asks
about a member (is this session cancelled? is this project public?) are properties of its enum
class, so templates never compare stored codes.
"""
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice


class LabeledEnum(StrEnum):
    def __new__(cls, value: str, label, badge: str = "secondary"):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        member.badge = badge
        return member

    @classmethod
    def choices(cls, members=None, blank=None) -> list[SelectChoice]:
        """WTForms choices for all members (or a subset), after an optional blank option."""
        options = [SelectChoice("", blank)] if blank is not None else []
        return options + [SelectChoice(m.value, m.label) for m in (members or cls)]

    @classmethod
    def label_of(cls, value: str | None):
        try:
            return cls(value).label
        except ValueError:
            return value or ""


class IndustryChain(LabeledEnum):
    OPTOELECTRONICS = "optoelectronics", _l("光电子信息")
    INTEGRATED_CIRCUITS = "integrated_circuits", _l("集成电路")
    DISPLAYS = "displays", _l("新型显示")
    SMART_TERMINALS = "smart_terminals", _l("智能终端")
    NETWORKS_5G = "networks_5g", _l("网络与5G通信")
    AUTOMOTIVE_NEV = "automotive_nev", _l("汽车与新能源汽车")
    LIFE_HEALTH = "life_health", _l("大健康与生物医药")
    AI = "ai", _l("人工智能")
    LOW_ALTITUDE = "low_altitude", _l("低空经济")
    NEW_MATERIALS = "new_materials", _l("新材料")
    OTHER = "other", _l("其他")


class Stage(LabeledEnum):
    SEED = "seed", _l("种子轮")
    ANGEL = "angel", _l("天使轮")
    PRE_A = "pre_a", _l("Pre-A轮")
    A = "a", _l("A轮")
    B = "b", _l("B轮")
    C_PLUS = "c_plus", _l("C轮及以后")
    PRE_IPO = "pre_ipo", _l("Pre-IPO")


class SrdiLevel(LabeledEnum):
    """专精特新 recognition, from none to the national "little giant" list."""
    NONE = "none", _l("无")
    INNOVATIVE_SME = "innovative_sme", _l("创新型中小企业")
    PROVINCIAL = "provincial", _l("省级专精特新")
    LITTLE_GIANT = "little_giant", _l("国家级专精特新“小巨人”")

    @property
    def is_recognized(self) -> bool:
        return self is not SrdiLevel.NONE


class Region(LabeledEnum):
    WUHAN = "wuhan", _l("武汉")
    HUBEI = "hubei", _l("湖北其他城市")
    CENTRAL = "central", _l("华中地区")
    YANGTZE_DELTA = "yangtze_delta", _l("长三角")
    GREATER_BAY = "greater_bay", _l("粤港澳大湾区")
    BEIJING_TIANJIN = "beijing_tianjin", _l("京津冀")
    NATIONWIDE = "nationwide", _l("全国")


class District(LabeledEnum):
    """Wuhan's districts and development zones, where a company is registered (loan rules and the dashboard)."""
    EAST_LAKE = "east_lake", _l("东湖高新区")
    JIANGAN = "jiangan", _l("江岸区")
    JIANGHAN = "jianghan", _l("江汉区")
    QIAOKOU = "qiaokou", _l("硚口区")
    HANYANG = "hanyang", _l("汉阳区")
    WUCHANG = "wuchang", _l("武昌区")
    QINGSHAN = "qingshan", _l("青山区")
    HONGSHAN = "hongshan", _l("洪山区")
    DONGXIHU = "dongxihu", _l("东西湖区")
    CAIDIAN = "caidian", _l("蔡甸区")
    JIANGXIA = "jiangxia", _l("江夏区")
    HUANGPI = "huangpi", _l("黄陂区")
    XINZHOU = "xinzhou", _l("新洲区")
    ECONOMIC_ZONE = "economic_zone", _l("武汉经开区")
    CHANGJIANG_NEW = "changjiang_new", _l("长江新区")
    OUTSIDE_WUHAN = "outside_wuhan", _l("武汉以外")
