from __future__ import annotations

from auditlog.models import LogEntry
from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.template import loader
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from shoko.core.models import User
from shoko.core.tasks import deliver_email


def attach_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its field when the form has one, else on
    the form as a whole. Services validate; forms only show what they said."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


class EmailAuthenticationForm(AuthenticationForm):
    """Sign in with an email address; the messages say what to do next, in the user's language."""

    username = forms.EmailField(
        label=_("メールアドレス"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    error_messages = {
        "invalid_login": _(
            "メールアドレスまたはパスワードが正しくありません。"
            "続けて失敗するとしばらくログインできなくなります。"
        ),
        "inactive": _("このアカウントは利用停止中です。"),
    }

    def clean_username(self) -> str:
        return (self.cleaned_data.get("username") or "").strip().lower()


class AuditFilterForm(forms.Form):
    model = forms.ModelChoiceField(
        label=_("対象の種類"),
        queryset=ContentType.objects.none(),
        required=False,
        empty_label=_("すべて"),
    )
    actor = forms.ModelChoiceField(
        label=_("操作者"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("すべて"),
    )
    object_pk = forms.CharField(label=_("対象ID"), required=False, max_length=64)
    date_from = forms.DateField(
        label=_("開始日"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("終了日"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        used_types = LogEntry.objects.values_list("content_type_id", flat=True).distinct()
        self.fields["model"].queryset = ContentType.objects.filter(pk__in=used_types)
        used_actors = LogEntry.objects.exclude(actor=None).values_list("actor_id", flat=True)
        self.fields["actor"].queryset = User.objects.filter(pk__in=used_actors.distinct())

    def clean(self) -> dict[str, object]:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("開始日は終了日より前の日付にしてください。"))
        return data


class QueuedPasswordResetForm(PasswordResetForm):
    """Password reset whose email goes through the background worker, in the user's language."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, object],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        user = context.get("user")
        language = getattr(user, "preferred_language", None) or translation.get_language()
        with translation.override(language):
            subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
            body = loader.render_to_string(email_template_name, context)
        deliver_email.enqueue(subject=subject, body=body, to=[to_email], from_email=from_email)
