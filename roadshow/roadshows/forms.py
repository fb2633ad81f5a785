"""The registration form (its fields are the session's questions) and the form adding a question."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from .models import QuestionKind, RegistrationQuestion
from .registration import ANSWER_MAX, OPTIONS_MAX, PROMPT_MAX


class RegistrationForm(FlaskForm):
    """One field per question, named q<id>; the rules (required, a listed choice) are checked by the service,
    which names the fields it refuses (registration.AnswersRefused)."""

    @classmethod
    def for_questions(cls, questions: list[RegistrationQuestion], stored: dict[int, str]) -> "RegistrationForm":
        form_class = type("SessionRegistrationForm", (cls,), {})
        for question in questions:
            if question.kind.is_choice:
                field = SelectField(question.prompt, choices=[SelectChoice("", _l("— 请选择 —"))] + [
                    SelectChoice(option, option) for option in question.option_list], validate_choice=False)
            else:
                field = TextAreaField(question.prompt, validators=[Length(max=ANSWER_MAX)], render_kw={"rows": 2})
            setattr(form_class, f"q{question.id}", field)
        form = form_class(data={f"q{q.id}": stored.get(q.id, "") for q in questions})
        for question in questions:
            form[f"q{question.id}"].flags.required = question.required  # the asterisk by its label
        form.questions = questions
        return form

    def answers(self) -> dict[int, str]:
        return {q.id: self[f"q{q.id}"].data or "" for q in self.questions}


class QuestionForm(FlaskForm):
    prompt = StringField(_l("问题"), validators=[DataRequired(_l("请填写问题。")), Length(max=PROMPT_MAX)])
    kind = SelectField(_l("回答方式"), choices=QuestionKind.choices(), default=QuestionKind.TEXT.value)
    options = TextAreaField(_l("选项（单项选择题，每行一个）"), validators=[Length(max=OPTIONS_MAX * (PROMPT_MAX + 1))],
                            render_kw={"rows": 3})
    required = BooleanField(_l("必答"))

    def service_fields(self) -> dict:
        return {"prompt": self.prompt.data, "kind": QuestionKind(self.kind.data), "options": self.options.data or "",
                "required": self.required.data}
