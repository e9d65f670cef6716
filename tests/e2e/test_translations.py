"""Every add-on speaks French: its translation template is current and its French
translation gives every term, with the placeholders and markup of the English."""

import io
import logging
import re

import polib
import pytest
from omni_cli.odoo_env import ADDONS_DIR, OMNI_MODULES

# %s, %(name)s, %(elapsed).1f, %%, {name}, {{ expression }}
PLACEHOLDER = re.compile(r"%%|%(?:\([^)]+\))?[-#0+]*\d*(?:\.\d+)?[sdifrx]|\{\{.*?\}\}|\{\w*\}")
# element names of HTML and QWeb markup, opening and closing
TAG = re.compile(r"</?([A-Za-z][\w:-]*)")
# text quoted inside a {{ expression }}: customers read it, so it is translated
QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")


def placeholders(text):
    return sorted(QUOTED.sub("''", found) for found in PLACEHOLDER.findall(text))


class ErrorsLogged(logging.Handler):
    def __init__(self):
        super().__init__(logging.ERROR)
        self.messages = []

    def emit(self, record):
        error = record.exc_info[1] if record.exc_info else None
        self.messages.append(f"{record.getMessage()}: {error!r}" if error else record.getMessage())


def exported_template(registry, addon):
    """The template Odoo exports for ``addon`` from the test database, and the errors
    Odoo logged reading its terms (a source file it cannot read loses its terms)."""
    from odoo.tools.translate import trans_export

    buffer = io.BytesIO()
    errors = ErrorsLogged()
    logger = logging.getLogger("odoo.tools.translate")
    logger.addHandler(errors)
    try:
        with registry.cursor() as cr:
            trans_export(None, [addon], buffer, "po", cr)
    finally:
        logger.removeHandler(errors)
    return polib.pofile(buffer.getvalue().decode()), errors.messages


def committed(addon, name):
    path = ADDONS_DIR / addon / "i18n" / name
    assert path.is_file(), f"{addon} has no i18n/{name}"
    return polib.pofile(str(path))


def terms(catalog):
    return {(entry.msgctxt, entry.msgid) for entry in catalog if entry.msgid}


def french_entries(addon):
    return {
        (entry.msgctxt, entry.msgid): entry
        for entry in committed(addon, "fr.po")
        if entry.msgstr.strip() and "fuzzy" not in entry.flags
    }


@pytest.mark.parametrize("addon", OMNI_MODULES)
def test_the_translation_template_is_current(registry, addon):
    template = committed(addon, f"{addon}.pot")
    assert template.metadata.get("Project-Id-Version") == "Odoo Server 18.0"
    exported, errors = exported_template(registry, addon)
    assert not errors, f"Odoo could not read every term of {addon}: {errors}"
    missing = sorted(terms(exported) - terms(template))
    assert not missing, (
        f"{addon}.pot lacks {len(missing)} term(s) Odoo exports (export it again), "
        f"e.g. {missing[:3]}"
    )


@pytest.mark.parametrize("addon", OMNI_MODULES)
def test_every_term_has_a_french_translation(addon):
    template = committed(addon, f"{addon}.pot")
    untranslated = sorted(terms(template) - set(french_entries(addon)))
    assert not untranslated, (
        f"{addon}: {len(untranslated)} term(s) without French, e.g. {untranslated[:3]}"
    )


@pytest.mark.parametrize("addon", OMNI_MODULES)
def test_french_keeps_placeholders_and_markup(addon):
    broken = [
        entry.msgid
        for entry in french_entries(addon).values()
        if placeholders(entry.msgid) != placeholders(entry.msgstr)
        or sorted(TAG.findall(entry.msgid)) != sorted(TAG.findall(entry.msgstr))
    ]
    assert not broken, (
        f"{addon}: {len(broken)} French term(s) change the placeholders or the markup of "
        f"the English, e.g. {broken[:3]}"
    )
