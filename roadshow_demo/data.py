"""Static demo content: people, companies, projects, institutions, funds, venues and series.

Every name here is invented for the demo; any likeness to a real company or person is accidental.
Amounts are CNY in whole yuan (万 = 10_000, 亿 = 100_000_000).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from roadshow.accounts.models import Role
from roadshow.common.choices import IndustryChain as C
from roadshow.common.choices import Region as R
from roadshow.common.choices import SrdiLevel as L
from roadshow.common.choices import Stage as S
from roadshow.investors.models import InstitutionType as T
from roadshow.projects.models import ProjectStatus as P
from roadshow.roadshows.models import ApplicationStatus as A
from roadshow.roadshows.models import SeriesKind

WAN = 10_000
YI = 100_000_000

EMAIL_DOMAIN = "roadshow.demo"

# Wuhan administrative divisions used in the credit codes (GB/T 2260).
DISTRICTS = {
    "420100": "武汉市（东湖新技术开发区）",
    "420103": "江汉区",
    "420105": "汉阳区",
    "420106": "武昌区",
    "420107": "青山区",
    "420111": "洪山区",
    "420112": "东西湖区",
    "420113": "汉南区（武汉经开区）",
    "420114": "蔡甸区",
    "420115": "江夏区",
}


# --------------------------------------------------------------------------- people

@dataclass(frozen=True)
class StaffSpec:
    email_local: str
    name: str
    role: Role
    phone: str | None = None


STAFF = [
    StaffSpec("admin", "陈思远", Role.ADMIN, "027-87650001"),
    StaffSpec("host1", "刘雨桐", Role.HOST, "027-87650011"),
    StaffSpec("host2", "王子航", Role.HOST, "027-87650012"),
    StaffSpec("reviewer1", "周启明", Role.REVIEWER),  # 光电子方向，高校教授
    StaffSpec("reviewer2", "吴静怡", Role.REVIEWER),  # 生物医药方向，临床专家
    StaffSpec("reviewer3", "郑凯文", Role.REVIEWER),  # 投资方向，资深合伙人
]

# Founders (one per company, in company order) and investors (in investor-account order).
FOUNDER_NAMES = [
    "张博涵", "李明哲", "黄晓光", "赵一帆", "孙立群", "钱卓然", "周雨辰", "吴浩宇", "郑思齐", "冯嘉怡",
    "陈亦舟", "褚明远", "卫晓岚", "蒋沐阳", "沈清越", "韩东篱", "杨若水", "朱启航", "秦朗", "许峻峰",
    "何嘉伦", "吕晴川", "施砚青", "张子墨", "孔维新", "曹一鸣", "严书瑶", "华振宇", "金晓帆", "魏澜",
]
INVESTOR_NAMES = [
    "陶然", "姜知远", "戚若彤", "谢明川", "邹文博", "喻晓婷", "柏青", "水汉阳", "窦嘉禾", "章立言",
    "云舒", "苏墨白", "潘一诺", "葛昕", "奚子衿", "范成睿", "彭语嫣", "郎启东", "鲁思琪", "韦楚涵",
    "昌明德", "马骁",
]


# --------------------------------------------------------------------------- companies

@dataclass(frozen=True)
class CompanySpec:
    key: str
    name: str
    chain: C
    stage: S
    region: str  # 6-digit administrative division code, part of the credit code
    founded: int
    headcount: int
    patents: int
    score: int  # 创新积分 0–100
    high_tech: bool
    srdi: L
    university: str | None
    intro: str


COMPANIES = [
    # 光电子信息
    CompanySpec("c01", "武汉芯光途硅光科技有限公司", C.OPTOELECTRONICS, S.A, "420100", 2018, 126, 58, 91, True,
                L.PROVINCIAL, "华中科技大学",
                "公司专注硅基光电子芯片与高速光模块，核心团队来自华中科技大学光电国家研究中心。"
                "已量产400G硅光模块，800G产品通过头部云厂商验证。"),
    CompanySpec("c02", "武汉镭创智能激光科技有限公司", C.OPTOELECTRONICS, S.B, "420100", 2014, 310, 142, 95, True,
                L.LITTLE_GIANT, "华中科技大学",
                "国家级专精特新“小巨人”企业，深耕超快激光精密加工装备十年。"
                "产品覆盖消费电子玻璃切割、新型显示修复和半导体先进封装，累计服务客户四百余家。"),
    CompanySpec("c03", "武汉澄波光纤传感技术有限公司", C.OPTOELECTRONICS, S.A, "420111", 2016, 85, 37, 78, True,
                L.INNOVATIVE_SME, "武汉理工大学",
                "依托武汉理工大学光纤传感技术积累，提供分布式光纤声波与温度监测系统。"
                "产品应用于油气管网、城市地铁和长江桥梁的安全监测。"),
    CompanySpec("c04", "武汉量光探测科技有限公司", C.OPTOELECTRONICS, S.ANGEL, "420100", 2021, 24, 11, 66, False,
                L.NONE, "武汉大学",
                "由武汉大学物理学院博士团队创立，研发近红外单光子探测器芯片。"
                "产品面向量子通信、激光雷达和生物荧光成像，已完成工程样片流片。"),
    CompanySpec("c05", "武汉曦和红外科技有限公司", C.OPTOELECTRONICS, S.C_PLUS, "420115", 2013, 420, 186, 93, True,
                L.PROVINCIAL, None,
                "国内较早实现非制冷红外探测器自主量产的企业之一，拥有8英寸MEMS产线。"
                "产品用于测温、安防、户外夜视和车载辅助驾驶。"),
    # 集成电路
    CompanySpec("c06", "武汉矽量检测装备有限公司", C.INTEGRATED_CIRCUITS, S.B, "420100", 2017, 198, 96, 90, True,
                L.LITTLE_GIANT, "华中科技大学",
                "专注半导体前道量测与缺陷检测装备，明场检测设备已进入多家12英寸晶圆厂验证。"
                "公司为国家级专精特新“小巨人”企业，承担多项省级科技重大专项。"),
    CompanySpec("c07", "武汉衡芯存储控制器技术有限公司", C.INTEGRATED_CIRCUITS, S.A, "420100", 2019, 92, 41, 82, True,
                L.INNOVATIVE_SME, None,
                "研发企业级与工业级固态硬盘主控芯片，团队在存储控制器领域平均从业十二年。"
                "PCIe 4.0主控已实现量产，客户覆盖服务器与工控市场。"),
    CompanySpec("c08", "武汉楚微射频集成电路有限公司", C.INTEGRATED_CIRCUITS, S.PRE_A, "420111", 2018, 56, 29, 74, True,
                L.NONE, "华中科技大学",
                "聚焦5G射频前端芯片，主营BAW滤波器与射频模组设计。"
                "产品已导入三家国内手机与物联网模组厂商。"),
    CompanySpec("c09", "武汉晶驰功率半导体有限公司", C.INTEGRATED_CIRCUITS, S.A, "420114", 2020, 68, 23, 71, True,
                L.NONE, None,
                "面向新能源汽车与光伏储能的碳化硅功率器件设计企业。"
                "1200V SiC MOSFET已通过AEC-Q101车规认证，正与多家电驱厂商联合开发。"),
    # 新型显示
    CompanySpec("c10", "武汉墨彩印刷显示技术有限公司", C.DISPLAYS, S.A, "420100", 2020, 64, 33, 80, True,
                L.INNOVATIVE_SME, "华中科技大学",
                "专注喷墨打印OLED发光材料、功能墨水与打印工艺，配套本地印刷显示产线。"
                "已向两家面板企业小批量供货。"),
    CompanySpec("c11", "武汉微晶像素科技有限公司", C.DISPLAYS, S.ANGEL, "420100", 2021, 30, 16, 63, False,
                L.NONE, "武汉大学",
                "研发硅基Micro-LED微显示芯片，面向AR眼镜与车载抬头显示。"
                "已点亮0.13英寸全彩样片，亮度超过百万尼特。"),
    CompanySpec("c12", "武汉睿屏智检科技有限公司", C.DISPLAYS, S.B, "420112", 2015, 175, 64, 86, True,
                L.PROVINCIAL, None,
                "为新型显示面板厂提供AOI光学检测与Mura补偿整体方案。"
                "设备在国内多条高世代线稳定运行，国产化替代率持续提升。"),
    # 智能终端
    CompanySpec("c13", "武汉听澜智能穿戴科技有限公司", C.SMART_TERMINALS, S.PRE_A, "420106", 2019, 45, 19, 68, True,
                L.NONE, None,
                "将助听算法与真无线耳机结合，推出面向轻中度听损人群的AI助听耳机。"
                "配套听力健康管理平台已与社区医院合作开展筛查。"),
    CompanySpec("c14", "武汉擎宇服务机器人有限公司", C.SMART_TERMINALS, S.B, "420112", 2017, 230, 88, 84, True,
                L.PROVINCIAL, "武汉理工大学",
                "研发商用清洁与配送服务机器人，产品进入写字楼、机场与医院场景。"
                "累计部署超过三千台，海外收入占比约三成。"),
    CompanySpec("c15", "武汉智域工业终端科技有限公司", C.SMART_TERMINALS, S.C_PLUS, "420105", 2012, 380, 121, 88, True,
                L.LITTLE_GIANT, None,
                "深耕工业级三防手持终端与行业PDA十余年，服务物流、电力和医疗客户。"
                "公司为国家级专精特新“小巨人”企业，正筹备上市辅导。"),
    # 网络与5G通信
    CompanySpec("c16", "武汉灵犀通信技术有限公司", C.NETWORKS_5G, S.A, "420100", 2018, 110, 47, 81, True,
                L.INNOVATIVE_SME, "华中科技大学",
                "提供面向工厂、港口和矿山的5G行业专网整体方案，自研轻量化核心网。"
                "已在省内二十余家制造企业落地“5G+工业互联网”项目。"),
    CompanySpec("c17", "武汉天衡卫星互联网科技有限公司", C.NETWORKS_5G, S.PRE_A, "420100", 2020, 52, 21, 72, True,
                L.NONE, "武汉大学",
                "武汉大学测绘遥感背景团队创立，研发低轨卫星互联网相控阵用户终端。"
                "产品面向应急通信、远洋船舶和野外作业场景。"),
    CompanySpec("c18", "武汉鲲脉网络科技有限公司", C.NETWORKS_5G, S.ANGEL, "420111", 2021, 28, 9, 58, False,
                L.NONE, "华中科技大学",
                "面向智算中心的高性能网络企业，研发RDMA智能网卡与拥塞控制软件。"
                "原型产品在百卡集群测试中将训练通信时延降低约三成。"),
    # 汽车与新能源汽车
    CompanySpec("c19", "武汉驭道智能驾驶科技有限公司", C.AUTOMOTIVE_NEV, S.A, "420113", 2019, 140, 53, 79, True,
                L.INNOVATIVE_SME, None,
                "专注港口、园区等封闭场景的L4级无人驾驶物流车辆。"
                "已在长江沿线两个港口开展无人集卡常态化运营。"),
    CompanySpec("c20", "武汉氢擎动力科技有限公司", C.AUTOMOTIVE_NEV, S.B, "420114", 2017, 205, 76, 85, True,
                L.PROVINCIAL, "武汉理工大学",
                "依托武汉理工大学燃料电池技术积累，研发车用氢燃料电池电堆与系统。"
                "产品已配套公交、物流和重卡车型，累计运行里程超过千万公里。"),
    CompanySpec("c21", "武汉固锂新能源科技有限公司", C.AUTOMOTIVE_NEV, S.ANGEL, "420115", 2022, 26, 14, 61, False,
                L.NONE, "华中科技大学",
                "研发硫化物固态电解质材料及其干法成膜工艺，面向下一代动力电池。"
                "已建成百公斤级中试装置，并向电池企业送样。"),
    # 大健康与生物医药
    CompanySpec("c22", "武汉博衍生物医药科技有限公司", C.LIFE_HEALTH, S.B, "420100", 2016, 160, 45, 87, True,
                L.PROVINCIAL, None,
                "位于光谷生物城的创新药企业，建立了自主知识产权的ADC连接子-载荷平台。"
                "首个HER2靶向ADC已获临床试验批准。"),
    CompanySpec("c23", "武汉明澈眼科医疗器械有限公司", C.LIFE_HEALTH, S.A, "420100", 2018, 74, 38, 77, True,
                L.INNOVATIVE_SME, "武汉大学",
                "研发便携式免散瞳眼底相机与AI眼底病筛查软件，取得二类医疗器械注册证。"
                "产品已进入基层医疗机构和体检中心。"),
    CompanySpec("c24", "武汉脉衡脑机科技有限公司", C.LIFE_HEALTH, S.PRE_A, "420111", 2021, 35, 18, 67, False,
                L.NONE, "华中科技大学",
                "由华中科技大学同济医学院与工学院联合团队创立，研发非侵入式神经调控康复设备。"
                "经颅磁刺激康复系统正在开展多中心临床试验。"),
    # 人工智能
    CompanySpec("c25", "武汉言川智能科技有限公司", C.AI, S.PRE_A, "420106", 2022, 40, 12, 70, False,
                L.NONE, "武汉大学",
                "面向流程工业的行业大模型企业，将工艺知识与生产数据结合提供智能问答和参数推荐。"
                "已在钢铁和化工企业完成试点。"),
    CompanySpec("c26", "武汉瞰微视觉智能科技有限公司", C.AI, S.B, "420100", 2016, 190, 72, 89, True,
                L.PROVINCIAL, None,
                "工业AI视觉检测企业，主营锂电池极片、电芯与PCB外观缺陷检测系统。"
                "设备已批量交付多家头部电池企业。"),
    # 低空经济
    CompanySpec("c27", "武汉云翎低空科技有限公司", C.LOW_ALTITUDE, S.A, "420113", 2020, 96, 44, 80, True,
                L.INNOVATIVE_SME, None,
                "研发城市低空物流eVTOL无人机与自动化起降场，提供同城即时配送运营服务。"
                "已获得试点空域运营许可，日均飞行架次超过两百。"),
    CompanySpec("c28", "武汉鹰瞳低空智能科技有限公司", C.LOW_ALTITUDE, S.B, "420111", 2015, 150, 67, 83, True,
                L.PROVINCIAL, "武汉大学",
                "提供电网巡检无人机自主机场与低空监视雷达，服务电力、应急和城市管理部门。"
                "累计完成巡检线路超过五万公里。"),
    # 新材料
    CompanySpec("c29", "武汉拓烯新材料科技有限公司", C.NEW_MATERIALS, S.B, "420107", 2014, 260, 98, 92, True,
                L.LITTLE_GIANT, "武汉理工大学",
                "国家级专精特新“小巨人”企业，主营石墨烯导热膜与高导热界面材料。"
                "产品应用于智能手机、服务器和新能源汽车电控散热。"),
    # 其他
    CompanySpec("c30", "武汉碳迹科技有限公司", C.OTHER, S.ANGEL, "420103", 2024, 18, 3, 46, False,
                L.NONE, "中南财经政法大学",
                "为制造企业提供碳足迹核算与碳资产管理SaaS，支持产品碳标签与出口合规。"
                "已服务三十余家外贸制造企业。"),
]


# --------------------------------------------------------------------------- projects

@dataclass(frozen=True)
class ProjectSpec:
    key: str
    company: str
    title: str
    pitch: str
    description: str
    round: S
    amount: int
    use_of_funds: str
    status: P  # APPROVED ones are scheduled into future sessions by the seed when slots are free
    rejection_reason: str | None = None


PROJECTS = [
    ProjectSpec("p01", "c01", "800G/1.6T硅光相干光模块产业化项目",
                "自主硅光芯片+先进封装，为AI智算中心提供低功耗800G/1.6T光互联",
                "项目基于自研硅光调制器与锗硅探测器芯片，实现800G DR8与1.6T光模块量产。"
                "相较传统EML方案功耗降低约30%，已获两家云厂商小批量订单。"
                "本轮融资用于建设年产50万只高速光模块的封装测试产线。",
                S.B, 15 * 1000 * WAN, "产线建设50%，1.6T研发30%，补充流动资金20%", P.APPROVED),
    ProjectSpec("p02", "c01", "CPO共封装光学引擎研发项目",
                "面向51.2T交换芯片的共封装光学引擎，功耗再降一半",
                "CPO将光引擎与交换芯片封装在同一基板上，是下一代数据中心网络的关键技术。"
                "团队已完成3.2T光引擎原理样机，正与国内交换芯片企业联合开发。",
                S.B, 8000 * WAN, "研发人员扩充60%，流片与封装验证40%", P.SUBMITTED),
    ProjectSpec("p03", "c02", "超快激光精密微加工装备扩产项目",
                "皮秒/飞秒激光精密加工装备，服务消费电子与新型显示龙头客户",
                "公司超快激光切割与钻孔装备在玻璃、蓝宝石和柔性屏加工领域市场占有率领先。"
                "本项目扩建整机装配基地，将年产能从300台提升至800台。",
                S.B, 12000 * WAN, "厂房与装配线60%，激光器自研25%，营销网络15%", P.PRESENTED),
    ProjectSpec("p04", "c02", "激光玻璃通孔（TGV）先进封装装备",
                "用激光诱导刻蚀打通玻璃基板，解决先进封装TGV量产难题",
                "玻璃基板被视为先进封装的下一代载板，TGV是其核心工艺。"
                "项目装备孔径可达10微米、深宽比超过10:1，已在两家封装厂完成工艺验证。",
                S.B, 6000 * WAN, "样机迭代40%，工艺实验室35%，客户验证25%", P.APPROVED),
    ProjectSpec("p05", "c03", "分布式光纤声波传感管网安全监测系统",
                "一根光纤就是上万个传感器，实时守护油气管网与地下管廊",
                "系统利用相位敏感光时域反射技术，在50公里光纤上实现米级定位的振动监测。"
                "已在省内燃气管网和两座长江大桥部署，误报率低于行业平均水平。",
                S.A, 3000 * WAN, "算法与平台研发45%，市场拓展35%，运营资金20%", P.APPROVED),
    ProjectSpec("p06", "c04", "近红外单光子探测器芯片",
                "国产InGaAs单光子雪崩二极管芯片，服务量子通信与激光雷达",
                "项目研发1550nm波段单光子雪崩二极管阵列，探测效率与暗计数指标达到国际同类水平。"
                "已完成首轮工程流片，计划一年内推出16×16阵列芯片。",
                S.ANGEL, 1500 * WAN, "流片与测试55%，团队建设30%，知识产权15%", P.APPROVED),
    ProjectSpec("p07", "c05", "12微米非制冷红外探测器晶圆级封装产线",
                "晶圆级封装把红外探测器成本降到百元级，打开车载与消费市场",
                "项目建设8英寸晶圆级真空封装产线，单颗探测器封装成本下降60%以上。"
                "产品将用于车载夜视、智能家居和手机测温模组。",
                S.C_PLUS, 20000 * WAN, "产线设备70%，良率提升15%，市场推广15%", P.APPROVED),
    ProjectSpec("p08", "c05", "车载红外夜视模组",
                "前装车规级红外夜视，夜间行人识别距离提升三倍",
                "模组集成自研探测器与AI识别算法，满足车规级可靠性要求。"
                "已与两家整车企业签订联合开发协议。",
                S.B, 5000 * WAN, "车规认证40%，算法研发35%，量产准备25%", P.UNDER_REVIEW),
    ProjectSpec("p09", "c06", "明场晶圆缺陷检测设备国产化",
                "12英寸晶圆明场缺陷检测设备，灵敏度进入28nm工艺节点",
                "明场检测设备长期依赖进口，是集成电路装备国产化的关键短板。"
                "项目设备已在国内晶圆厂完成在线验证，检测灵敏度与吞吐量满足28nm工艺要求。",
                S.B, 18000 * WAN, "下一代设备研发50%，验证机台30%，服务团队20%", P.APPROVED),
    ProjectSpec("p10", "c06", "先进封装3D形貌量测设备",
                "面向Chiplet与HBM的晶圆级三维形貌量测",
                "基于白光干涉与共聚焦融合测量，覆盖凸点高度、翘曲和RDL线宽量测。",
                S.B, 8000 * WAN, "光学系统研发50%，样机30%，市场20%", P.DRAFT),
    ProjectSpec("p11", "c07", "PCIe 5.0企业级SSD主控芯片",
                "自主PCIe 5.0主控，让国产企业级固态硬盘跑满14GB/s",
                "芯片采用自研纠错引擎与闪存调度算法，顺序读带宽达到14GB/s。"
                "已完成设计定版，计划明年量产并导入服务器厂商。",
                S.A, 10000 * WAN, "流片费用50%，固件团队30%，客户导入20%", P.APPROVED),
    ProjectSpec("p12", "c08", "5G射频前端BAW滤波器芯片",
                "高性能BAW滤波器，补齐5G射频前端国产化拼图",
                "项目掌握体声波谐振器设计与晶圆级封装工艺，n77/n79频段滤波器插损优于1.5dB。"
                "已向手机与物联网模组客户送样。",
                S.PRE_A, 3000 * WAN, "工艺开发45%，测试平台30%，团队25%", P.APPROVED),
    ProjectSpec("p13", "c09", "1200V车规级碳化硅MOSFET",
                "车规级SiC MOSFET，助力800V高压平台电驱降本",
                "器件比导通电阻达到国际主流水平，已通过AEC-Q101认证。"
                "本轮融资用于模块封装线建设和电驱客户联合验证。",
                S.A, 6000 * WAN, "模块封装线50%，可靠性验证30%，流动资金20%", P.SUBMITTED),
    ProjectSpec("p14", "c10", "喷墨打印OLED发光材料与功能墨水",
                "印刷显示专用发光墨水，让OLED面板制造更省材料、更低成本",
                "喷墨打印可将有机材料利用率从约30%提升到90%以上。"
                "公司红绿发光墨水寿命指标达到量产要求，蓝光墨水处于客户验证阶段。",
                S.A, 8000 * WAN, "材料合成产线45%，蓝光材料研发35%，客户验证20%", P.APPROVED),
    ProjectSpec("p15", "c10", "印刷显示用高精度喷墨打印头驱动",
                "打印头驱动与波形控制软件，提高印刷OLED膜厚均匀性",
                "项目开发多通道打印头驱动板与波形优化软件，目标膜厚均匀性优于98%。",
                S.PRE_A, 2000 * WAN, "硬件开发50%，软件40%，其他10%", P.REJECTED,
                "技术路线与公司主营项目高度重叠，核心专利仍在申请中，建议并入主项目后再提交。"),
    ProjectSpec("p16", "c11", "AR眼镜用硅基Micro-LED微显示芯片",
                "米粒大小的全彩微显示屏，点亮下一代AR眼镜",
                "项目采用晶圆键合与量子点色转换方案，实现单片全彩Micro-LED微显示。"
                "像素间距4微米，已与两家AR整机企业签订样品协议。",
                S.ANGEL, 2000 * WAN, "工艺线改造50%，样片迭代35%，团队15%", P.APPROVED),
    ProjectSpec("p17", "c12", "面板Mura缺陷AI检测与补偿系统",
                "AI识别Mura并实时补偿，把面板良率再提高两个百分点",
                "系统融合高分辨率成像与深度学习分类，对OLED与LCD面板的Mura缺陷进行检测和灰阶补偿。"
                "已在三条高世代线部署。",
                S.B, 5000 * WAN, "新产品研发40%，海外市场30%，产能20%，其他10%", P.PRESENTED),
    ProjectSpec("p18", "c13", "AI助听耳机与听力健康管理平台",
                "一副耳机既能听歌也能助听，AI降噪让老人听得清",
                "产品通过自适应验配算法与场景识别降噪，价格约为传统助听器的三分之一。"
                "与社区医院合作的听力筛查平台已覆盖五万人次。",
                S.PRE_A, 1500 * WAN, "产品迭代40%，渠道建设40%，临床合作20%", P.APPROVED),
    ProjectSpec("p19", "c14", "商用清洁机器人规模化量产",
                "全自主商用清洁机器人，一台顶三名保洁员",
                "机器人具备多楼层自主乘梯、自动补水排污与充电能力。"
                "本轮融资用于建设年产一万台的智能工厂并拓展东南亚市场。",
                S.B, 10000 * WAN, "智能工厂55%，海外市场25%，研发20%", P.APPROVED),
    ProjectSpec("p20", "c15", "三防工业手持终端与行业PDA",
                "扫码、RFID、5G合一的工业级手持终端，国产替代进口品牌",
                "产品满足IP68防护与1.8米跌落标准，已进入物流、电力和医院采购目录。"
                "本轮为上市前最后一轮融资。",
                S.PRE_IPO, 15000 * WAN, "研发中心40%，产能扩建40%，补充流动资金20%", P.PRESENTED),
    ProjectSpec("p21", "c16", "5G工业专网轻量化核心网",
                "一台服务器装下5G核心网，中小工厂也用得起5G专网",
                "轻量化核心网支持本地分流和确定性网络，部署成本约为传统方案的五分之一。"
                "已在汽车零部件、钢铁和港口场景规模化落地。",
                S.A, 5000 * WAN, "产品研发45%，行业解决方案30%，市场25%", P.APPROVED),
    ProjectSpec("p22", "c16", "5G RedCap工业网关",
                "低成本RedCap网关，让产线设备一步接入5G",
                "网关支持多种工业协议转换，功耗与成本较传统5G模组降低一半。",
                S.A, 2000 * WAN, "硬件研发50%，认证30%，市场20%", P.UNDER_REVIEW),
    ProjectSpec("p23", "c17", "低轨卫星互联网相控阵用户终端",
                "平板式相控阵终端，在长江航运和野外作业中随时连上卫星宽带",
                "终端采用自研波束成形芯片，支持动中通和多星切换，整机成本较同类下降40%。"
                "已完成在轨联调测试。",
                S.PRE_A, 4000 * WAN, "芯片与天线研发50%，入网认证25%，量产准备25%", P.APPROVED),
    ProjectSpec("p24", "c18", "面向智算中心的RDMA智能网卡",
                "自研拥塞控制的RDMA智能网卡，让万卡集群通信不再拥堵",
                "项目研发400G RDMA智能网卡及配套拥塞控制软件，可与国产交换机协同优化。",
                S.ANGEL, 1500 * WAN, "FPGA原型与芯片设计60%，团队40%", P.SUBMITTED),
    ProjectSpec("p25", "c19", "港口L4无人集卡运营项目",
                "无人集卡+调度云平台，港口水平运输效率提升20%",
                "项目以“车辆+运营”模式向港口提供无人水平运输服务，按箱收费。"
                "已在两个长江港口实现常态化运营，单车日均作业超过120标准箱。",
                S.A, 8000 * WAN, "运营车辆购置50%，调度平台30%，新港口拓展20%", P.APPROVED),
    ProjectSpec("p26", "c20", "120kW车用氢燃料电池电堆",
                "高功率密度金属板电堆，支撑氢能重卡跑得更远",
                "电堆体积功率密度达到4.5kW/L，低温启动-30℃。"
                "本轮融资用于电堆自动化产线和膜电极自制。",
                S.B, 12000 * WAN, "自动化产线55%，膜电极研发30%，流动资金15%", P.APPROVED),
    ProjectSpec("p27", "c20", "氢能重卡示范运营平台",
                "车、站、氢一体化运营平台，降低氢能物流用车成本",
                "平台整合加氢站调度、车辆监控与碳减排核算，面向钢铁和港口短倒运输。",
                S.B, 5000 * WAN, "车辆与平台60%，运营团队40%", P.DRAFT),
    ProjectSpec("p28", "c21", "硫化物固态电解质中试线",
                "百吨级硫化物固态电解质中试线，打通全固态电池材料瓶颈",
                "项目电解质离子电导率超过10mS/cm，干法成膜工艺可兼容现有卷对卷设备。"
                "计划建设百吨级中试线并完成车企送样。",
                S.ANGEL, 3000 * WAN, "中试线建设65%，材料研发25%，团队10%", P.APPROVED),
    ProjectSpec("p29", "c22", "HER2靶向ADC创新药临床I期",
                "新一代定点偶联ADC，瞄准HER2低表达乳腺癌",
                "候选药物采用自研可裂解连接子与新型拓扑异构酶抑制剂载荷，临床前药效显著优于对照药。"
                "本轮融资用于完成I期临床并启动II期。",
                S.B, 20000 * WAN, "临床研究65%，CMC工艺20%，团队15%", P.PRESENTED),
    ProjectSpec("p30", "c22", "ADC连接子-载荷技术平台授权合作",
                "开放ADC平台，以授权+里程碑模式与药企合作",
                "平台已完成三类连接子和两类载荷的验证，拟面向国内外药企开展授权合作。",
                S.B, 5000 * WAN, "平台扩展60%，BD团队40%", P.UNDER_REVIEW),
    ProjectSpec("p31", "c23", "便携式免散瞳眼底相机与AI筛查",
                "手掌大小的眼底相机，让基层医生也能做糖网筛查",
                "设备重量不足500克，配合AI软件可识别糖尿病视网膜病变等多种眼底疾病。"
                "已在省内120家乡镇卫生院投入使用。",
                S.A, 4000 * WAN, "三类证临床30%，产能25%，基层渠道45%", P.APPROVED),
    ProjectSpec("p32", "c24", "经颅磁刺激脑卒中康复系统",
                "导航式经颅磁刺激，让脑卒中患者康复周期缩短三分之一",
                "系统结合脑电与影像导航实现精准刺激靶点定位，正在五家三甲医院开展多中心临床试验。",
                S.PRE_A, 2500 * WAN, "临床试验50%，注册申报25%，研发25%", P.APPROVED),
    ProjectSpec("p33", "c25", "流程工业大模型“言川·工艺通”",
                "懂工艺的行业大模型，让老师傅的经验变成可复用的生产力",
                "模型以开源基座结合企业工艺文档与生产数据微调，提供故障诊断问答与参数推荐。"
                "在试点钢厂将异常处理时间缩短约40%。",
                S.PRE_A, 2000 * WAN, "算力与数据45%，产品研发35%，行业拓展20%", P.APPROVED),
    ProjectSpec("p34", "c26", "锂电池极片AI视觉检测系统",
                "每分钟百米极片在线全检，漏检率低于十万分之一",
                "系统采用线阵相机与自研缺陷分割模型，对涂布、辊压、分切工序进行在线检测。"
                "已批量交付头部电池企业，累计装机超过600套。",
                S.B, 6000 * WAN, "新工序产品研发40%，交付团队35%，海外20%，其他5%", P.APPROVED),
    ProjectSpec("p35", "c26", "PCB外观检测AI质检一体机",
                "一体化AI质检机，替代PCB厂人工目检",
                "设备融合多角度光源与缺陷分类模型，适配多层板与柔性板外观检测。",
                S.B, 3000 * WAN, "研发50%，市场50%", P.REJECTED,
                "材料未体现与现有锂电检测产品的差异化，市场数据来源不清，建议补充客户验证后重新申报。"),
    ProjectSpec("p36", "c27", "城市低空物流eVTOL无人机与起降场网络",
                "30分钟同城送达：低空物流无人机+自动化起降场",
                "无人机最大载重20公斤、航程60公里，起降场可自动换电与装卸货。"
                "已在光谷开通十余条常态化航线，配送医疗样本与即时零售订单。",
                S.A, 10000 * WAN, "机队扩充40%，起降场建设35%，适航审定25%", P.APPROVED),
    ProjectSpec("p37", "c28", "电网巡检无人机自主机场系统",
                "无人值守机场+AI识别，输电线路巡检效率提升五倍",
                "机场支持自动充电与全天候起降，AI模型可识别绝缘子破损、异物等30余类缺陷。"
                "已在三个省级电网公司批量应用。",
                S.B, 5000 * WAN, "产品迭代40%，省外市场40%，流动资金20%", P.APPROVED),
    ProjectSpec("p38", "c28", "低空监视雷达与飞行服务平台",
                "看得见、管得住：低空监视雷达+飞行服务平台",
                "项目面向低空经济基础设施建设，提供小型无人机探测雷达与低空飞行服务一体化平台。",
                S.B, 4000 * WAN, "雷达研发50%，平台开发30%，试点20%", P.SUBMITTED),
    ProjectSpec("p39", "c29", "石墨烯导热膜万吨级扩产",
                "高导热石墨烯膜扩产，满足AI服务器与手机散热新需求",
                "公司石墨烯导热膜热导率超过1500W/m·K，已进入多家手机品牌供应链。"
                "本项目建设新一代连续化产线，产能提升三倍。",
                S.B, 10000 * WAN, "产线建设70%，研发20%，流动资金10%", P.PRESENTED),
    ProjectSpec("p40", "c30", "企业碳足迹核算与碳资产管理SaaS",
                "帮外贸制造企业算清碳账，应对欧盟碳边境调节机制",
                "平台内置行业排放因子库与产品碳足迹模型，一键生成符合国际标准的碳核算报告。",
                S.ANGEL, 800 * WAN, "产品研发50%，市场拓展40%，其他10%", P.APPROVED),
]

# The deck outline every generated PDF follows (page 1 is the cover).
DECK_SECTIONS = ["公司概况", "行业痛点与市场空间", "核心技术与产品", "商业模式与客户", "团队与股权", "融资计划"]


# --------------------------------------------------------------------------- institutions

@dataclass(frozen=True)
class FundSpec:
    name: str
    size: int | None
    chains: list[C]
    stages: list[S]
    regions: list[R]
    ticket_min: int
    ticket_max: int


@dataclass(frozen=True)
class InstitutionSpec:
    key: str
    name: str
    type: T
    registration_number: str | None
    verified: bool
    intro: str
    investors: int  # demo investor accounts
    funds: list[FundSpec] = field(default_factory=list)


OPTO_CHAINS = [C.OPTOELECTRONICS, C.INTEGRATED_CIRCUITS, C.DISPLAYS, C.SMART_TERMINALS, C.NETWORKS_5G]

INSTITUTIONS = [
    InstitutionSpec("i01", "长江启航创业投资管理有限公司", T.VC, "P1068231", True,
                    "扎根光谷的早期硬科技投资机构，重点布局光电子信息与集成电路产业链。", 2, [
                        FundSpec("长江启航光芯创业投资基金", 15 * YI, [C.OPTOELECTRONICS, C.INTEGRATED_CIRCUITS],
                                 [S.ANGEL, S.PRE_A, S.A], [R.WUHAN, R.HUBEI], 1000 * WAN, 5000 * WAN),
                        FundSpec("长江启航成长二期基金", 20 * YI, OPTO_CHAINS,
                                 [S.A, S.B], [R.CENTRAL, R.YANGTZE_DELTA], 3000 * WAN, 1 * YI),
                    ]),
    InstitutionSpec("i02", "江城光谷私募股权基金管理有限公司", T.PE, "P1071456", True,
                    "专注成长期与Pre-IPO阶段的硬科技企业，协助被投企业对接资本市场。", 2, [
                        FundSpec("江城光谷产业升级股权投资基金", 50 * YI, OPTO_CHAINS + [C.AUTOMOTIVE_NEV],
                                 [S.B, S.C_PLUS, S.PRE_IPO], [R.NATIONWIDE], 5000 * WAN, 3 * YI),
                    ]),
    InstitutionSpec("i03", "珞珈星火天使投资管理有限公司", T.ANGEL, "P1079820", True,
                    "由武汉大学校友发起的天使投资平台，践行“校友投”模式，支持校友科创项目从零到一。", 2, [
                        FundSpec("珞珈校友天使基金", 3 * YI, [C.AI, C.LIFE_HEALTH, C.NETWORKS_5G, C.OPTOELECTRONICS],
                                 [S.SEED, S.ANGEL], [R.WUHAN], 100 * WAN, 800 * WAN),
                    ]),
    InstitutionSpec("i04", "喻园启明创业投资管理有限公司", T.ANGEL, "P1082113", False,
                    "华中科技大学校友创业投资平台，关注科研成果转化与概念验证阶段项目。", 1, [
                        FundSpec("喻园概念验证天使基金", 2 * YI, [C.OPTOELECTRONICS, C.INTEGRATED_CIRCUITS, C.NEW_MATERIALS],
                                 [S.SEED, S.ANGEL, S.PRE_A], [R.WUHAN, R.HUBEI], 100 * WAN, 1000 * WAN),
                    ]),
    InstitutionSpec("i05", "荆楚科创银行东湖科技金融事业部", T.BANK, None, True,
                    "科技金融专营机构，提供创新积分贷、知识产权质押贷和投贷联动服务。", 2, [
                        FundSpec("投贷联动科创贷款计划", 30 * YI, [c for c in C if c != C.OTHER],
                                 [S.PRE_A, S.A, S.B, S.C_PLUS], [R.WUHAN, R.HUBEI], 300 * WAN, 5000 * WAN),
                    ]),
    InstitutionSpec("i06", "汉水商业银行光谷科技支行", T.BANK, None, True,
                    "面向专精特新中小企业的科技支行，推广“301”线上信用快贷与研发贷。", 1, [
                        FundSpec("专精特新信用贷款专项", 10 * YI, [c for c in C if c != C.OTHER],
                                 [S.A, S.B, S.C_PLUS], [R.WUHAN], 100 * WAN, 3000 * WAN),
                    ]),
    InstitutionSpec("i07", "星屏显示产业投资（武汉）有限公司", T.CVC, "P1075502", True,
                    "新型显示龙头企业旗下产业资本，围绕面板上下游材料、装备与检测进行产业链投资。", 2, [
                        FundSpec("星屏显示产业链投资基金", 12 * YI, [C.DISPLAYS, C.NEW_MATERIALS, C.SMART_TERMINALS],
                                 [S.A, S.B, S.C_PLUS], [R.NATIONWIDE], 2000 * WAN, 15000 * WAN),
                    ]),
    InstitutionSpec("i08", "楚驰汽车产业资本管理有限公司", T.CVC, "P1069987", True,
                    "整车集团旗下产业资本，聚焦智能网联、三电系统与氢能等汽车产业链关键环节。", 1, [
                        FundSpec("楚驰智能网联汽车产业基金", 20 * YI, [C.AUTOMOTIVE_NEV, C.INTEGRATED_CIRCUITS, C.AI],
                                 [S.A, S.B, S.C_PLUS], [R.CENTRAL, R.NATIONWIDE], 3000 * WAN, 2 * YI),
                        FundSpec("楚驰新能源早期基金", 5 * YI, [C.AUTOMOTIVE_NEV, C.NEW_MATERIALS],
                                 [S.ANGEL, S.PRE_A], [R.HUBEI, R.CENTRAL], 500 * WAN, 3000 * WAN),
                    ]),
    InstitutionSpec("i09", "江城科技创新引导基金管理有限公司", T.GUIDANCE_FUND, "P1060318", True,
                    "市级政府投资引导基金管理人，通过母基金与直投引导社会资本投早、投小、投硬科技。", 2, [
                        FundSpec("江城科创母基金", 100 * YI, [c for c in C if c != C.OTHER],
                                 [S.SEED, S.ANGEL, S.PRE_A, S.A, S.B], [R.WUHAN], 2000 * WAN, 5 * YI),
                        FundSpec("江城天使引导基金", 10 * YI, [C.AI, C.LOW_ALTITUDE, C.LIFE_HEALTH],
                                 [S.SEED, S.ANGEL], [R.WUHAN], 200 * WAN, 2000 * WAN),
                    ]),
    InstitutionSpec("i10", "湖北长江科创母基金管理有限公司", T.GUIDANCE_FUND, "P1061744", True,
                    "省级科技创新母基金管理人，围绕“51020”现代产业集群开展子基金设立与直接投资。", 1, [
                        FundSpec("长江科创产业母基金", 200 * YI, OPTO_CHAINS + [C.AUTOMOTIVE_NEV, C.LIFE_HEALTH],
                                 [S.A, S.B, S.C_PLUS], [R.HUBEI], 1 * YI, 10 * YI),
                        FundSpec("长江未来产业直投基金", 30 * YI, [C.LOW_ALTITUDE, C.AI, C.NEW_MATERIALS],
                                 [S.PRE_A, S.A, S.B], [R.HUBEI, R.CENTRAL], 3000 * WAN, 2 * YI),
                        FundSpec("长江生命健康子基金", 20 * YI, [C.LIFE_HEALTH],
                                 [S.A, S.B, S.C_PLUS], [R.HUBEI, R.NATIONWIDE], 2000 * WAN, 15000 * WAN),
                    ]),
    InstitutionSpec("i11", "东湖云帆创业投资管理有限公司", T.VC, "P1073365", True,
                    "关注人工智能、低空经济和智能终端的早中期投资机构，擅长投后产业资源对接。", 1, [
                        FundSpec("云帆智能科技创投基金", 8 * YI, [C.AI, C.LOW_ALTITUDE, C.SMART_TERMINALS],
                                 [S.PRE_A, S.A, S.B], [R.WUHAN, R.GREATER_BAY], 1000 * WAN, 6000 * WAN),
                    ]),
    InstitutionSpec("i12", "晴川硬科技创业投资管理有限公司", T.VC, "P1080547", True,
                    "专注半导体、新材料与高端装备的硬科技早期投资机构。", 1, [
                        FundSpec("晴川硬科技一期基金", 6 * YI, [C.INTEGRATED_CIRCUITS, C.NEW_MATERIALS, C.OPTOELECTRONICS],
                                 [S.ANGEL, S.PRE_A, S.A], [R.CENTRAL, R.YANGTZE_DELTA], 500 * WAN, 4000 * WAN),
                        FundSpec("晴川半导体装备专项基金", 4 * YI, [C.INTEGRATED_CIRCUITS],
                                 [S.A, S.B], [R.NATIONWIDE], 2000 * WAN, 8000 * WAN),
                    ]),
    InstitutionSpec("i13", "通衢资本管理有限公司", T.PE, "P1066190", True,
                    "成长期股权投资机构，聚焦大健康与先进制造，注重并购整合与产业协同。", 1, [
                        FundSpec("通衢大健康产业基金", 25 * YI, [C.LIFE_HEALTH],
                                 [S.B, S.C_PLUS, S.PRE_IPO], [R.NATIONWIDE], 5000 * WAN, 2 * YI),
                    ]),
    InstitutionSpec("i14", "知音湖创业投资管理有限公司", T.VC, "P1084402", True,
                    "关注网络通信、卫星互联网与智算基础设施的早期投资机构。", 1, [
                        FundSpec("知音湖数字基础设施创投基金", 5 * YI, [C.NETWORKS_5G, C.AI, C.OPTOELECTRONICS],
                                 [S.ANGEL, S.PRE_A, S.A], [R.WUHAN, R.BEIJING_TIANJIN], 500 * WAN, 3000 * WAN),
                    ]),
    InstitutionSpec("i15", "鹤鸣资本财务顾问（武汉）有限公司", T.ADVISOR, None, False,
                    "科创企业融资财务顾问，提供融资方案设计、投资人对接与交易结构服务。", 1, [
                        FundSpec("鹤鸣撮合项目池（顾问服务）", None, [c for c in C if c != C.OTHER],
                                 [S.PRE_A, S.A, S.B, S.C_PLUS], [R.NATIONWIDE], 1000 * WAN, 3 * YI),
                    ]),
]

# English names and intros of the institutions (shown to readers of English), by key.
INSTITUTIONS_EN = {
    "i01": ("Changjiang Qihang Venture Capital", "An early-stage hard-tech investor rooted in Optics Valley, focused on the optoelectronics and integrated-circuit chains."),
    "i02": ("Jiangcheng Optics Valley Private Equity", "Invests in growth and pre-IPO hard-tech companies and helps them reach the capital markets."),
    "i03": ("Luojia Spark Angel Investment", "An angel platform started by Wuhan University alumni that backs alumni start-ups from zero to one."),
    "i04": ("Yuyuan Qiming Venture Capital", "The venture platform of Huazhong University of Science and Technology alumni, for research spin-outs and proof-of-concept projects."),
    "i05": ("Jingchu Sci-Tech Bank, East Lake Tech Finance Division", "A specialised tech-finance unit offering innovation-credit loans, IP-backed loans and loan-equity linkage."),
    "i06": ("Hanshui Commercial Bank, Optics Valley Tech Branch", "A tech branch for specialised SMEs, offering online credit loans and R&D loans."),
    "i07": ("Xingping Display Industry Investment (Wuhan)", "The corporate venture arm of a display maker, investing along the panel supply chain: materials, equipment and inspection."),
    "i08": ("Chuchi Automotive Industry Capital", "The investment arm of a carmaker, focused on connected vehicles, electric drive systems and hydrogen."),
    "i09": ("Jiangcheng Sci-Tech Innovation Guidance Fund", "The city's government guidance fund: through funds of funds and direct deals it brings private capital to early, small and hard-tech companies."),
    "i10": ("Hubei Changjiang Sci-Tech Fund of Funds", "The province's sci-tech fund of funds, setting up sub-funds and investing directly in its modern industry clusters."),
    "i11": ("Donghu Yunfan Venture Capital", "An early and mid-stage investor in AI, the low-altitude economy and smart devices, strong in post-investment industry links."),
    "i12": ("Qingchuan Hard Tech Venture Capital", "An early-stage investor in semiconductors, new materials and advanced equipment."),
    "i13": ("Tongqu Capital", "A growth-stage investor in health care and advanced manufacturing, with a focus on M&A and industry synergy."),
    "i14": ("Zhiyin Lake Venture Capital", "An early-stage investor in networks, satellite internet and computing infrastructure."),
    "i15": ("Heming Capital Advisory (Wuhan)", "A financial adviser for sci-tech companies: financing plans, investor introductions and deal structures."),
}


# --------------------------------------------------------------------------- venues and series

@dataclass(frozen=True)
class VenueSpec:
    name: str
    address: str
    capacity: int
    is_online: bool
    description: str
    name_en: str = ""
    description_en: str = ""


VENUES = [
    VenueSpec("长江路演厅", "武汉市东湖新技术开发区 长江科创金融港 A座 2层", 120, False,
              "光谷科创路演中心的主会场，配备大屏、同传与直播设备，“天天有路演、时时可对接”。",
              "Changjiang Roadshow Hall", "The center's main hall, with a large screen, interpretation and live-streaming equipment."),
    VenueSpec("线上路演间", "线上直播（报名后获取观看链接）", 500, True,
              "面向省内外投资机构的线上路演直播间，支持实时问答与一对一约谈。",
              "Online Roadshow Room", "A live-streamed room for investors across China, with live questions and one-to-one meetings."),
]
HALL = "长江路演厅"
ONLINE = "线上路演间"


@dataclass(frozen=True)
class SeriesSpec:
    slug: str
    name: str
    kind: SeriesKind
    chain: C | None
    description: str
    name_en: str = ""
    description_en: str = ""


SERIES = [
    SeriesSpec("daily", "每日路演", SeriesKind.DAILY, None,
               "每个工作日下午在长江路演厅举行，按产业链轮换主题，每场3–5个项目，每个项目路演10分钟、问答10分钟。",
               "Daily Roadshow", "Every working-day afternoon in the Changjiang Roadshow Hall, themed by industry chain in turn: 3–5 projects, each pitching for 10 minutes with 10 minutes of questions."),
    SeriesSpec("chain-monthly", "一月一链·产业链专场", SeriesKind.CHAIN_MONTHLY, C.OPTOELECTRONICS,
               "每月聚焦一条重点产业链的投融资专场。本月主题：光电子信息（光芯屏端网）。",
               "Chain of the Month", "Each month an investment special on one key industry chain. This month: optoelectronics."),
    SeriesSpec("srdi", "专精特新专场", SeriesKind.SRDI, None,
               "面向专精特新中小企业与“小巨人”企业的专场路演，联合科技金融专营机构提供股债联动服务。",
               "Specialised SMEs Special", "A special for specialised and innovative SMEs and 'little giants', with equity investors and tech-finance lenders together."),
]

# Daily themes by weekday (Monday = 0): (title part, primary chain, chains whose projects fit).
DAILY_THEMES = {
    0: ("光电子信息", C.OPTOELECTRONICS, [C.OPTOELECTRONICS]),
    1: ("集成电路与新型显示", C.INTEGRATED_CIRCUITS, [C.INTEGRATED_CIRCUITS, C.DISPLAYS]),
    2: ("智能终端与5G通信", C.SMART_TERMINALS, [C.SMART_TERMINALS, C.NETWORKS_5G]),
    3: ("汽车与大健康", C.AUTOMOTIVE_NEV, [C.AUTOMOTIVE_NEV, C.LIFE_HEALTH]),
    4: ("人工智能与未来产业", C.AI, [C.AI, C.LOW_ALTITUDE, C.NEW_MATERIALS, C.OTHER]),
}
DAILY_THEMES_EN = {
    "光电子信息": "Optoelectronics", "集成电路与新型显示": "Integrated Circuits and New Displays",
    "智能终端与5G通信": "Smart Devices and 5G", "汽车与大健康": "Automotive and Health",
    "人工智能与未来产业": "AI and Future Industries",
}

# Applications from projects to series: (project key, series slug, status, note).
APPLICATIONS = [
    ("p02", "chain-monthly", A.PENDING, "希望参加光电子信息专场，与交换芯片与云厂商产业资本对接。"),
    ("p13", "srdi", A.PENDING, "公司正在申报省级专精特新，希望对接投贷联动产品。"),
    ("p24", "daily", A.PENDING, "可随时参加每日路演，优先周三“智能终端与5G通信”主题。"),
    ("p38", "srdi", A.PENDING, "申请专精特新专场，展示低空基础设施项目。"),
    ("p08", "chain-monthly", A.PENDING, "红外夜视模组属于光电子信息产业链，申请本月专场。"),
    ("p34", "srdi", A.ACCEPTED, "省级专精特新企业，申请专场路演。"),
]
