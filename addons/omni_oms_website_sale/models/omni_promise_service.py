import datetime as dt

from babel.dates import format_date as babel_format_date

from odoo import api, fields, models
from odoo.tools import format_date
from odoo.tools.misc import get_lang

from odoo.addons.omni_oms.engine import promise

# A promised day within this many days is named by its weekday ("Thursday").
WEEKDAY_NAMES_WITHIN = 6


class OmniPromiseService(models.AbstractModel):
    _inherit = "omni.promise.service"

    @api.model
    def _promise_text(self, result, now=None, tz=None):
        """The promise as shoppers read it, e.g. "Order within 2 h 10 min, delivered
        Thursday"; False when there is no promise."""
        if not result.promised:
            return False
        now = now or fields.Datetime.now()
        day = self._promise_day_text(result.date, promise.to_local(now, tz or "UTC").date())
        if result.kind == "collect":
            return self.env._("Ready for pickup %(day)s", day=day)
        if result.order_before and result.order_before > now:
            minutes = int((result.order_before - now).total_seconds() // 60)
            hours, minutes = divmod(minutes, 60)
            if hours:
                return self.env._(
                    "Order within %(hours)s h %(minutes)s min, delivered %(day)s",
                    hours=hours,
                    minutes=minutes,
                    day=day,
                )
            return self.env._(
                "Order within %(minutes)s min, delivered %(day)s", minutes=minutes, day=day
            )
        return self.env._("Delivered %(day)s", day=day)

    @api.model
    def _promise_day_text(self, day, today):
        if day == today:
            return self.env._("today")
        if day == today + dt.timedelta(days=1):
            return self.env._("tomorrow")
        if day <= today + dt.timedelta(days=WEEKDAY_NAMES_WITHIN):
            return babel_format_date(day, "EEEE", locale=get_lang(self.env).code)
        return self.env._("on %(date)s", date=format_date(self.env, day))
