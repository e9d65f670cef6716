from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, float_compare


class StockPickingBatch(models.Model):
    _name = "stock.picking.batch"
    _inherit = ("stock.picking.batch", "omni.pick.route.mixin")
    _omni_pick_list_report_xmlid = "omni_wms.stock_picking_batch_report_omni_pick_list"

    omni_wave_rule_id = fields.Many2one(
        "omni.wave.rule", "Wave Rule", readonly=True, copy=False, index="btree_not_null"
    )
    omni_wave_type = fields.Selection(
        related="omni_wave_rule_id.order_type", string="Wave Type", store=True
    )
    omni_start_date = fields.Datetime("Picking Started", readonly=True, copy=False)
    omni_end_date = fields.Datetime("Picking Ended", readonly=True, copy=False)
    omni_picker_id = fields.Many2one("res.users", "Picked By", readonly=True, copy=False)

    def action_confirm(self):
        result = super().action_confirm()
        self.filtered("is_wave")._omni_assign_totes()
        if not self.env.context.get("omni_defer_route"):
            self._omni_route_if_layout()
        return result

    def action_omni_open_picking_screen(self):
        self.ensure_one()
        return {
            "type": "ir.actions.client",
            "tag": "omni_wms.picking_screen",
            "name": self.env._("Picking Screen"),
            "params": {"batch_id": self.id},
        }

    # Picking screen ---------------------------------------------------------

    @api.model
    def omni_screen_waves(self):
        """The waves an operator may take: in progress, not picked by someone else."""
        waves = self.search(
            [
                ("is_wave", "=", True),
                ("state", "=", "in_progress"),
                ("omni_end_date", "=", False),
                "|",
                ("user_id", "=", False),
                ("user_id", "=", self.env.uid),
            ],
            order="scheduled_date, id",
            limit=50,
        )
        return [
            {
                "id": wave.id,
                "name": wave.name,
                "description": wave.description or "",
                "lines": len(wave.move_line_ids),
                "orders": len(wave.picking_ids),
            }
            for wave in waves
        ]

    def _omni_check_screen(self):
        self.ensure_one()
        self.check_access("write")
        if self.state != "in_progress":
            raise UserError(
                self.env._(
                    "%(wave)s is not in progress: only confirmed waves are picked.",
                    wave=self.name,
                )
            )

    def omni_screen_take(self):
        """The operator takes the wave: its picker and start time are recorded."""
        self._omni_check_screen()
        vals = {}
        if not self.user_id:
            vals["user_id"] = self.env.uid
        if not self.omni_start_date:
            vals.update(omni_start_date=fields.Datetime.now(), omni_picker_id=self.env.uid)
        if vals:
            self.write(vals)
        return self.omni_screen_next_step()

    def omni_screen_next_step(self):
        """What the operator does next: the first line not picked yet on the route, with
        its location, product, quantity and tote; or, when all are picked, the totes to
        sort and pack. Two queries, whatever the size of the wave."""
        self.ensure_one()
        self.check_access("read")
        for model in ("stock.move.line", "stock.picking", "stock.location"):
            self.env[model].flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT COUNT(*), COUNT(*) FILTER (WHERE line.picked)
                  FROM stock_move_line line WHERE line.batch_id = %s
                """,
                self.id,
            )
        )
        total, done = self.env.cr.fetchone()
        lang = self.env.lang or "en_US"
        self.env.cr.execute(
            SQL(
                """
                SELECT line.id, location.complete_name, location.name, location.barcode,
                       COALESCE(template.name->>%(lang)s, template.name->>'en_US'),
                       product.default_code, product.barcode, lot.name, line.quantity,
                       COALESCE(uom.name->>%(lang)s, uom.name->>'en_US'),
                       picking.omni_tote, picking.name
                  FROM stock_move_line line
                  JOIN stock_location location ON location.id = line.location_id
                  JOIN product_product product ON product.id = line.product_id
                  JOIN product_template template ON template.id = product.product_tmpl_id
                  JOIN uom_uom uom ON uom.id = line.product_uom_id
                  JOIN stock_picking picking ON picking.id = line.picking_id
             LEFT JOIN stock_lot lot ON lot.id = line.lot_id
                 WHERE line.batch_id = %(batch)s AND NOT line.picked
                 ORDER BY line.omni_pick_sequence = 0, line.omni_pick_sequence,
                          location.complete_name, line.id
                 LIMIT 1
                """,
                lang=lang,
                batch=self.id,
            )
        )
        row = self.env.cr.fetchone()
        step = {"wave_id": self.id, "wave": self.name, "total": total, "done": done}
        if not row:
            return {**step, "finished": True, "totes": self._omni_screen_totes()}
        return {
            **step,
            "finished": False,
            "line": {
                "id": row[0],
                "location": row[1],
                "location_name": row[2],
                "location_barcode": row[3] or "",
                "product": f"[{row[5]}] {row[4]}" if row[5] else row[4],
                "product_barcode": row[6] or "",
                "lot": row[7] or "",
                "quantity": row[8],
                "uom": row[9],
                "tote": row[10],
                "order": row[11],
            },
        }

    def _omni_screen_totes(self):
        """The orders of the wave by tote, for the sort and pack step."""
        return [
            {
                "tote": picking.omni_tote,
                "order": picking.name,
                "units": sum(picking.move_line_ids.filtered("picked").mapped("quantity")),
                "package": picking.move_line_ids.result_package_id[:1].name or "",
            }
            for picking in self.picking_ids.sorted(lambda picking: (picking.omni_tote, picking.id))
        ]

    def _omni_screen_line(self, line_id):
        line = self.env["stock.move.line"].browse(line_id).exists()
        if not line or line.batch_id != self:
            raise UserError(
                self.env._("This line is not in %(wave)s any more: reload.", wave=self.name)
            )
        if line.picked:
            raise UserError(
                self.env._(
                    "%(product)s from %(location)s is already picked.",
                    product=line.product_id.display_name,
                    location=line.location_id.display_name,
                )
            )
        return line

    def omni_screen_scan(self, line_id, stage, barcode):
        """Check a scan of the current line's location (``stage`` "location") or product
        (``stage`` "product"); raise a UserError saying what is wrong."""
        self._omni_check_screen()
        line = self._omni_screen_line(line_id)
        barcode = (barcode or "").strip()
        if stage == "location":
            location = line.location_id
            if barcode not in {location.barcode, location.name, location.complete_name} - {
                False,
                "",
            }:
                raise UserError(
                    self.env._(
                        "Wrong location: %(barcode)s is not %(location)s. Go to %(location)s.",
                        barcode=barcode,
                        location=location.display_name,
                    )
                )
            return {"ok": True}
        if barcode in self._omni_line_product_codes(line):
            return {"ok": True}
        others = self.move_line_ids - line
        if any(barcode in self._omni_line_product_codes(other) for other in others):
            raise UserError(
                self.env._(
                    "%(barcode)s is in this wave but not picked here: pick %(product)s.",
                    barcode=barcode,
                    product=line.product_id.display_name,
                )
            )
        raise UserError(
            self.env._(
                "%(barcode)s is not a product of wave %(wave)s: put it back and scan %(product)s.",
                barcode=barcode,
                wave=self.name,
                product=line.product_id.display_name,
            )
        )

    @api.model
    def _omni_line_product_codes(self, line):
        if line.lot_id:
            return {line.lot_id.name}
        return {line.product_id.barcode} - {False, ""}

    def omni_screen_pick(self, line_id, quantity):
        """Record the pick of ``quantity`` of the line; less than the line asks is a
        short pick. Returns the next step."""
        self._omni_check_screen()
        line = self._omni_screen_line(line_id)
        rounding = line.product_uom_id.rounding
        if float_compare(quantity, 0, precision_rounding=rounding) < 0 or (
            float_compare(quantity, line.quantity, precision_rounding=rounding) > 0
        ):
            raise UserError(
                self.env._(
                    "Pick from 0 to %(quantity)s %(uom)s of %(product)s here, not %(picked)s.",
                    quantity=line.quantity,
                    uom=line.product_uom_id.name,
                    product=line.product_id.display_name,
                    picked=quantity,
                )
            )
        if not self.omni_start_date:
            self.write({"omni_start_date": fields.Datetime.now(), "omni_picker_id": self.env.uid})
        if float_compare(quantity, line.quantity, precision_rounding=rounding) < 0:
            self._omni_short_pick(line, quantity)
        else:
            line.write(self._prepare_pick_vals())
        return self.omni_screen_next_step()

    def _prepare_pick_vals(self):
        return {
            "picked": True,
            "omni_picked_date": fields.Datetime.now(),
            "omni_picker_id": self.env.uid,
        }

    def _omni_short_pick(self, line, quantity):
        """The location held only ``quantity`` of what the line asks: count the location
        (the missing quantity leaves its stock), reserve the rest elsewhere (it joins the
        route), and mark its pick face short, which replenishes it."""
        move, location, product = line.move_id, line.location_id, line.product_id
        missing = line.quantity - quantity
        picked_before = move.move_line_ids.filtered("picked")
        quant = self.env["stock.quant"]._gather(
            product, location, lot_id=line.lot_id, package_id=line.package_id, strict=True
        )[:1]
        if quantity:
            line.quantity = quantity
        else:
            line.unlink()
        if quant:
            # the location held what was found: the rest of its stock is counted out, by
            # the operator who may pick this wave
            quant = quant.sudo()
            lost = quant.quantity - quant.reserved_quantity
            if lost > 0:
                inventory = quant.product_id.with_company(quant.company_id).property_stock_inventory
                vals = quant._get_inventory_move_values(
                    lost, location, inventory, package_id=quant.package_id
                )
                vals["name"] = self.env._("Short pick in %(wave)s", wave=self.name)
                self.env["stock.move"].sudo().create(vals)._action_done()
        # Odoo reserves only moves not picked yet
        if move.picked:
            move.picked = False
        move._action_assign()
        (picked_before | line).exists().write(self._prepare_pick_vals())
        faces = self.env["omni.pick.face"].search(
            [("location_id", "=", location.id), ("product_id", "=", product.id)]
        )
        faces.sudo()._mark_short(missing)
        self._omni_compute_routes()

    def omni_screen_finish(self):
        """Sort and pack: each order's picked lines go into a package named after its
        tote; the end of picking is recorded. Returns the totes."""
        self._omni_check_screen()
        unpicked = self.move_line_ids.filtered(lambda line: not line.picked)
        if unpicked:
            raise UserError(
                self.env._(
                    "%(count)s line(s) of %(wave)s are not picked yet: %(lines)s.",
                    count=len(unpicked),
                    wave=self.name,
                    lines=", ".join(
                        f"{line.product_id.display_name} ({line.location_id.name})"
                        for line in unpicked[:5]
                    ),
                )
            )
        Package = self.env["stock.quant.package"]
        for picking in self.picking_ids:
            lines = picking.move_line_ids.filtered(
                lambda line: line.picked and not line.result_package_id
            )
            if lines:
                package = Package.create(self._prepare_tote_package_vals(picking))
                lines.write({"result_package_id": package.id})
        if not self.omni_end_date:
            self.omni_end_date = fields.Datetime.now()
        return self.omni_screen_next_step()

    def _prepare_tote_package_vals(self, picking):
        return {
            "name": self.env._("%(wave)s-T%(tote)s", wave=self.name, tote=picking.omni_tote),
            "company_id": picking.company_id.id,
        }

    def omni_screen_release(self):
        """The operator gives the wave back before finishing it."""
        self._omni_check_screen()
        if self.user_id.id == self.env.uid and not self.move_line_ids.filtered("picked"):
            self.write({"user_id": False, "omni_start_date": False, "omni_picker_id": False})
        return True

    def _omni_assign_totes(self):
        """Give each order of the waves a tote of its own, keeping the totes already
        given when they are distinct."""
        for batch in self:
            pickings = batch.picking_ids.sorted(lambda picking: (picking.omni_tote, picking.id))
            totes = pickings.mapped("omni_tote")
            if all(totes) and len(set(totes)) == len(totes):
                continue
            for tote, picking in enumerate(pickings, start=1):
                picking.omni_tote = tote
        return True
