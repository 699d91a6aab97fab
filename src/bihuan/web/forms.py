from django.contrib.auth import forms as auth_forms

from bihuan.orgs.actions import do_change_password


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Django's form (old password, validators on the new one), saved through the action."""

    def save(self, commit: bool = True):
        do_change_password(self.user, self.cleaned_data["new_password1"], actor=self.user)
        return self.user
