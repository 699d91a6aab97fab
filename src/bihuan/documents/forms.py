from django import forms

from bihuan.documents.models import DocumentKind, ExtractedField

ACCEPT = ".docx,.pdf,.txt"


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label="文书种类", choices=[("", "请选择文书种类"), *DocumentKind.choices])
    file = forms.FileField(
        label="文书文件",
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        error_messages={"required": "请选择要上传的文件。"},
        allow_empty_file=True,  # an empty file is refused by the reader, with its own reason
    )


class CorrectionForm(forms.Form):
    field = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    row_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    value = forms.CharField(label="更正值", max_length=2000, strip=True)
    note = forms.CharField(
        label="更正说明", max_length=ExtractedField._meta.get_field("correction_note").max_length, required=False
    )
