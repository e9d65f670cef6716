"""Each add-on's README.md, composed from its readme/ fragments as the OCA does."""

import ast

from .odoo_env import ADDONS_DIR

SECTIONS = [
    ("DESCRIPTION.md", None),
    ("CONFIGURE.md", "Configuration"),
    ("USAGE.md", "Usage"),
    ("CONTRIBUTORS.md", "Contributors"),
]
GENERATED_NOTE = "<!-- Generated from readme/ by `./scripts/omni readme`: edit those files. -->"


def compose(addon_dir):
    manifest = ast.literal_eval((addon_dir / "__manifest__.py").read_text())
    parts = [
        GENERATED_NOTE,
        f"# {manifest['name']}",
        (
            f"*{manifest['summary']}* — version {manifest['version']}, "
            f"{manifest['development_status']}, {manifest['license']}."
        ),
    ]
    for fragment, title in SECTIONS:
        path = addon_dir / "readme" / fragment
        if path.is_file():
            parts += ([f"## {title}"] if title else []) + [path.read_text().strip()]
    return "\n\n".join(parts) + "\n"


def stale_readmes(write=False):
    """Add-ons whose README.md differs from their fragments (rewritten if ``write``)."""
    stale = []
    for manifest in sorted(ADDONS_DIR.glob("*/__manifest__.py")):
        addon_dir = manifest.parent
        readme = addon_dir / "README.md"
        expected = compose(addon_dir)
        if not readme.is_file() or readme.read_text() != expected:
            stale.append(addon_dir.name)
            if write:
                readme.write_text(expected)
    return stale
