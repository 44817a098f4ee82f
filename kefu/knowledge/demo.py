"""Demo knowledge base: about thirty articles in Chinese, public and internal, with versions,
views and "solved it" counts, written through the real services."""

from __future__ import annotations

ORDER = 55

# category, title, keywords, text, public
ARTICLES = [
    (
        "install",
        "办公桌安装步骤说明",
        "办公桌 安装 组装 螺丝",
        "1. 开箱核对配件清单（桌面、桌腿、横梁、螺丝包）。\n2. 先将横梁与桌腿用M6螺丝预固定，不要拧紧。\n"
        "3. 放上桌面，对准预留孔位后依次拧紧全部螺丝。\n4. 调节脚垫使桌面水平。\n"
        "如缺少配件，请在客户自助服务中提交“安装”请求并附照片。",
        True,
    ),
    (
        "install",
        "文件柜到货后多久可以安装",
        "文件柜 安装 预约 时间",
        "文件柜送达后，我们会在2个工作日内与您预约上门安装时间。节假日顺延（按国家法定节假日及调休安排）。如需加急，请在请求说明中注明。",
        True,
    ),
    (
        "install",
        "会议桌拼接缝隙过大怎么办",
        "会议桌 拼接 缝隙 不平",
        "大型会议桌由多块台面拼接。缝隙大于2毫米时，请先检查地面是否平整，再调节各桌腿的调平脚。仍无法解决时请提交维修请求，我们派专员上门调整连接件。",
        True,
    ),
    (
        "install",
        "升降桌电机线路连接",
        "升降桌 电机 控制器 接线",
        "控制器的M1、M2接口分别连接左右电机，HS接口连接手控器。接线后长按“下降”键5秒完成复位。复位前请勿放置重物。",
        True,
    ),
    (
        "care",
        "实木家具日常保养方法",
        "实木 保养 打蜡 开裂",
        "实木家具应避免阳光直射和靠近暖气片，室内湿度保持在40%–60%。每季度可用专用家具蜡保养一次。切勿用湿抹布长时间擦拭。",
        True,
    ),
    (
        "care",
        "皮质座椅如何清洁",
        "皮椅 清洁 皮革 污渍",
        "日常用干软布擦拭即可。污渍可用中性皮革清洁剂轻擦，随后涂抹皮革护理剂。不要使用酒精、汽油等溶剂。",
        True,
    ),
    (
        "care",
        "办公椅气杆下沉的原因",
        "气杆 下沉 椅子 升降",
        "气杆下沉多因气压棒密封件老化或超重使用。质保期内（气杆保修3年）可免费更换；请在提交请求时拍摄椅子底部标签照片，便于我们确认型号。",
        True,
    ),
    (
        "care",
        "布艺沙发起球处理",
        "沙发 布艺 起球",
        "布艺面料轻微起球属正常现象，可用毛球修剪器处理。大面积起球或破损请提交请求，我们根据面料批次判断是否属于质量问题。",
        True,
    ),
    (
        "repair",
        "抽屉打不开或锁坏了怎么办",
        "抽屉 锁 打不开 钥匙 活动柜",
        "请先确认钥匙是否为原配钥匙并完全插入。若锁芯转动但抽屉仍打不开，可能是内部卡扣移位。请勿强行撬开，以免损坏柜体。提交维修请求时说明柜子型号和锁的位置，我们会携带备用锁芯上门。",
        True,
    ),
    (
        "repair",
        "桌面开裂是否保修",
        "桌面 开裂 保修 质保",
        "在正常使用条件下，桌面开裂属于质量问题，质保期内免费维修或更换。人为损坏（如重物撞击、长期浸水）不在保修范围内，可提供有偿维修报价。",
        True,
    ),
    (
        "repair",
        "维修上门时间如何确定",
        "维修 上门 时间 预约",
        "提交请求后，责任中心服务人员会在1个工作日内联系您预约上门时间。您可以在“我的请求”中查看处理进度。",
        True,
    ),
    (
        "repair",
        "有偿维修如何收费",
        "有偿 维修 收费 报价 费用",
        "超出保修范围的维修按人工费、配件费和交通费计价。我们会先在客户自助服务中发送报价，您确认后才安排施工；您也可以拒绝报价。",
        True,
    ),
    (
        "repair",
        "五金件松动的简单处理",
        "五金 铰链 松动 门板",
        "柜门下垂多因铰链螺丝松动，可用十字螺丝刀顺时针拧紧铰链上的固定螺丝，再用调节螺丝调整门板高度和左右位置。",
        True,
    ),
    (
        "delivery",
        "送货时间和范围",
        "送货 时间 范围 物流",
        "订单完款后，我们在约定日期送货上门。市区一般3–5个工作日，郊区及外地城市5–10个工作日。送货前一天会电话确认。",
        True,
    ),
    (
        "delivery",
        "收货时发现包装破损怎么办",
        "包装 破损 收货 签收",
        "请在签收前当场检查外包装，发现破损请拍照并在签收单上注明“外包装破损”，同时提交“送货问题”请求。签收后发现的内部损坏也请尽快拍照反馈。",
        True,
    ),
    (
        "delivery",
        "货物少发或错发",
        "少发 错发 缺件 数量",
        "请对照送货单核对件数。如有少发或错发，请在请求中写明订单号和缺少的物品，我们会在核实后安排补发或换货。",
        True,
    ),
    (
        "delivery",
        "送货延迟的处理",
        "送货 延迟 晚到",
        "如超过约定日期仍未送达，请提交送货问题请求。我们会查询物流状态并在1个工作日内回复预计送达时间。",
        True,
    ),
    (
        "billing",
        "如何确认或拒绝维修报价",
        "报价 确认 拒绝 有偿服务",
        "报价发出后，您可以在请求详情页直接点击“确认报价”或“拒绝”。拒绝时请简要说明原因，便于我们调整方案。",
        True,
    ),
    (
        "billing",
        "服务发票什么时候开具",
        "发票 开具 服务发票",
        "有偿服务完成并结案后，系统自动生成服务发票，您可在“我的订单”中查看发票号和金额。",
        True,
    ),
    (
        "billing",
        "如何查询订单付款状态",
        "订单 付款 状态 完款",
        "在“我的订单”中可以看到每张单据的付款状态（已完款、部分付款、未付款）。如与您的记录不一致，请联系您的客户经理。",
        True,
    ),
    (
        "account",
        "如何登录客户自助服务",
        "登录 账号 密码 邀请",
        "客户自助服务账号由我们的客服人员邀请开通。您会收到一封邀请邮件，点击其中的链接设置密码（链接7天内有效，只能使用一次）。之后用邮箱和密码登录。",
        True,
    ),
    (
        "account",
        "忘记密码怎么办",
        "忘记密码 重置",
        "请联系您的客服人员重新发送邀请邮件，通过新链接设置新密码。旧链接将自动失效。",
        True,
    ),
    (
        "account",
        "可以查看哪些信息",
        "查看 权限 信息",
        "您可以查看本公司提交的所有服务请求、处理进度、与客服的往来留言、报价和服务发票。其他客户的信息不会显示。",
        True,
    ),
    (
        "internal",
        "通知单勘察结束的填写要求",
        "勘察 KCJS 勘察结果",
        "勘察结束（KCJS）时必须填写勘察结果：问题现象、原因判断、处理建议。涉及更换配件时写明物料号。主管据此批准或不批准。",
        False,
    ),
    (
        "internal",
        "Z1与Z2通知类型的选择",
        "Z1 Z2 完款 通知类型",
        "完款后的售后服务用Z1客户服务通知；完款前发生的交货异常用Z2。系统会按参考单据的付款状态建议类型，可人工修改。",
        False,
    ),
    (
        "internal",
        "客户自助请求的受理流程",
        "自助 受理 门户 首问",
        "客户在自助服务提交的请求直接成为通知单（状态TZJL）。责任中心助理应在2小时内查看并联系客户；与客户的公开回复写在“与客户的留言”中，内部记录写在长文本中，客户看不到长文本。",
        False,
    ),
    (
        "internal",
        "公开回复的写作规范",
        "回复 规范 礼貌 署名",
        "公开回复客户时：称呼得体（您好/尊敬的客户），说明已做的处理和下一步安排，给出明确时间，结尾致谢并署名。不写内部代码（如TZJL、ZGPZ）。",
        False,
    ),
    (
        "internal",
        "有偿服务报价的审核要点",
        "报价 审核 ZFFW",
        "报价（ZFFW）需分列人工、配件、交通费用；配件价格按当期价目表。超过2000元的报价须主管确认后再发给客户。",
        False,
    ),
    (
        "internal",
        "客户投诉升级的时限",
        "投诉 升级 时限",
        "客诉记录后10分钟内必须受理；各步骤超时将自动升级给主管和经理。详见客诉流程说明。",
        False,
    ),
    (
        "internal",
        "上门服务安全注意事项",
        "上门 安全 工具",
        "上门前确认地址和联系人；携带工具包和备用配件；进入客户场所穿戴工牌；作业结束清理现场并请客户在服务单上签字。",
        False,
    ),
]


def load(ctx: dict) -> None:
    from kefu.knowledge import services
    from kefu.knowledge.models import Article, Category

    if Article.objects.exists():
        return
    staff = ctx.get("staff") or {}
    author = getattr(staff.get("manager"), "user", None)
    rng = ctx["rng"]
    categories = {c.code: c for c in Category.objects.all()}
    made = []
    for code, title, keywords, body, public in ARTICLES:
        made.append(
            services.create_article(
                actor=author,
                title=title,
                body=body,
                category=categories[code],
                visibility="public" if public else "internal",
                keywords=keywords,
            )
        )
    # A second version for a few, and counts as if the base had been used for a while.
    for article in made[:4]:
        services.update_article(
            actor=author,
            article=article,
            expected_version=article.version,
            note="补充说明",
            body=article.body + "\n（2026年12月更新）",
        )
    for article in made:
        views = rng.randint(5, 400)
        Article.objects.filter(pk=article.pk).update(views=views, solved=rng.randint(0, views // 5))
    if ctx.get("stdout"):
        ctx["stdout"].write(f"    {len(made)} articles")
