"""`site.yaml`: the site's settings, validated into a frozen `SiteConfig`.

Where each part lives:

- table.py: `SiteConfig`, the table of settings (each field one setting, with its type,
  default, checker and one-line doc) and `SETTINGS`, that table by name. A new setting
  is a field there.
- checks.py: the checkers of values (text, URL, date, links...), each raising `Invalid`
  with what was expected; http(s) addresses are checked by `links.is_web_url`.
- loading.py: `load_config`: site.yaml read with positions, command-line overrides,
  every value checked, every problem reported at once as `site.yaml:line:col`.
- cname.py: a `static/CNAME` file, read as the `domain` setting.
- theme_settings.py: the theme's declared settings with site.yaml's over them.
"""

from __future__ import annotations

from .checks import LINK_KINDS, Link, base_path, shown_value
from .cname import CNAME
from .loading import load_config
from .table import CONFIG_NAME, SETTINGS, Setting, SiteConfig

__all__ = ["CNAME", "CONFIG_NAME", "LINK_KINDS", "SETTINGS", "Link", "Setting", "SiteConfig",
           "base_path", "load_config", "shown_value"]
