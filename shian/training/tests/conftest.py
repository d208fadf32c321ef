import datetime
import tomllib

import pytest
from django.test import Client

from shian.duty.services.staffing import appointment_make
from shian.registry.models import Staff
from shian.training.models import Exam, Question
from shian.training.services import questions_load

# A small bank: three topics, the three kinds, a director-only question in each topic.
BANK = """
version = 1
name = "测试题库"
notes = "tests only"

[[questions]]
code = "LAW-1"
topic = "law"
kind = "single"
audience = ["director", "officer"]
text = "从事接触直接入口食品工作的人员应当每年进行健康检查，取得什么后方可上岗？"
options = ["健康证明", "培训合格证", "身份证明"]
answer = [0]
source = "《食品安全法》第四十五条"
explanation = "取得健康证明后方可上岗。"

[[questions]]
code = "LAW-2"
topic = "law"
kind = "judge"
audience = ["director", "officer"]
text = "监督抽查考核可以向企业收取费用。"
options = ["正确", "错误"]
answer = [1]
source = "《食品安全法》第四十四条"
explanation = "监督抽查考核不得收取费用。"

[[questions]]
code = "LAW-3"
topic = "law"
kind = "multiple"
audience = ["director"]
text = "下列哪些是食品安全总监的职责？"
options = ["组织拟定管理制度", "组织开展自查", "代替监管部门执法", "向主要负责人报告"]
answer = [0, 1, 3]
source = "第60号令"
explanation = "总监不执法。"

[[questions]]
code = "O60-1"
topic = "order60"
kind = "single"
audience = ["director", "officer"]
text = "日管控由谁开展？"
options = ["食品安全员", "消费者", "监管部门"]
answer = [0]
source = "第60号令"
explanation = "食品安全员每日检查。"

[[questions]]
code = "O60-2"
topic = "order60"
kind = "judge"
audience = ["officer", "director"]
text = "当日未发现问题也应记录。"
options = ["正确", "错误"]
answer = [0]
source = "第60号令"
explanation = "零风险报告。"

[[questions]]
code = "O60-3"
topic = "order60"
kind = "multiple"
audience = ["director"]
text = "月调度会议纪要包括哪些内容？"
options = ["本月工作小结", "下月重点", "员工工资"]
answer = [0, 1]
source = "第60号令"
explanation = "工资与食品安全无关。"

[[questions]]
code = "HYG-1"
topic = "hygiene"
kind = "single"
audience = ["director", "officer"]
text = "留样食品应保存多少小时以上？"
options = ["24", "48", "12"]
answer = [1]
source = "《餐饮服务食品安全操作规范》"
explanation = "留样保存48小时以上。"

[[questions]]
code = "HYG-2"
topic = "hygiene"
kind = "multiple"
audience = ["officer", "director"]
text = "下列哪些做法符合生熟分开？"
options = ["生熟分柜存放", "刀具砧板分开", "生熟同一容器"]
answer = [0, 1]
source = "GB 31654-2021"
explanation = "生熟不得共用容器。"

[[questions]]
code = "HYG-3"
topic = "hygiene"
kind = "judge"
audience = ["director"]
text = "冷藏设施可以生熟混放。"
options = ["正确", "错误"]
answer = [1]
source = "GB 31654-2021"
explanation = "应分开存放。"
"""


def bank_data() -> dict:
    return tomllib.loads(BANK)


def big_bank(version: int = 1, per_topic: int = 12) -> dict:
    """A generated bank for drawing: `per_topic` questions per topic, every third one for directors only."""
    questions = []
    for topic in ("law", "order60", "hygiene"):
        for n in range(per_topic):
            questions.append(
                {
                    "code": f"{topic}-{n}",
                    "topic": topic,
                    "kind": "single",
                    "audience": ["director"] if n % 3 == 0 else ["director", "officer"],
                    "text": f"{topic} {n}?",
                    "options": ["甲", "乙", "丙"],
                    "answer": [n % 3],
                    "source": "test",
                    "explanation": "",
                }
            )
    return {"version": version, "name": "big", "questions": questions}


@pytest.fixture
def bank(db):
    questions_load(data=bank_data())
    return {q.code: q for q in Question.objects.all()}


@pytest.fixture
def few_questions(settings):
    """Exams of six questions (the small bank has 9, 6 of them for officers)."""
    settings.SHIAN_TRAINING = {**settings.SHIAN_TRAINING, "QUESTIONS": 6}


@pytest.fixture
def people(restaurant, principal):
    """The restaurant's staff: 王总监 appointed director, 李安全 appointed officer, 张工 a worker with no role."""
    wang = Staff.objects.create(operator=restaurant, name="王总监", role="director", id_number="320508199001011234")
    li = Staff.objects.create(operator=restaurant, name="李安全", role="officer")
    zhang = Staff.objects.create(operator=restaurant, name="张工", role="worker")
    on = datetime.date(2026, 1, 5)
    appointment_make(operator=restaurant, staff=wang, role="director", appointed_on=on, by=principal)
    appointment_make(operator=restaurant, staff=li, role="officer", appointed_on=on, by=principal)
    return {"director": wang, "officer": li, "worker": zhang}


def right_answers(exam: Exam) -> dict[int, list[int]]:
    questions = Question.objects.in_bulk(exam.questions)
    return {pk: list(questions[pk].answer) for pk in exam.questions}


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
