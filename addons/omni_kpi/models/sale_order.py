from odoo import api, fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # What the service level reads of each order, kept on the order as its deliveries
    # move, so that the reports group hundreds of thousands of orders in one scan.
    omni_shipped_date = fields.Datetime(
        string="Shipped On", compute="_compute_omni_service", store=True, copy=False
    )
    omni_delivered_date = fields.Datetime(
        string="Delivered On",
        compute="_compute_omni_service",
        store=True,
        copy=False,
        help="When the carrier delivered the last of the order's deliveries.",
    )
    omni_shipment_count = fields.Integer(
        string="Shipments", compute="_compute_omni_service", store=True, copy=False
    )
    omni_ship_warehouse_id = fields.Many2one(
        "stock.warehouse",
        string="Shipped From",
        compute="_compute_omni_service",
        store=True,
        copy=False,
    )
    omni_ship_carrier_id = fields.Many2one(
        "delivery.carrier",
        string="Shipped By",
        compute="_compute_omni_service",
        store=True,
        copy=False,
    )
    omni_delivered_short = fields.Boolean(
        string="Delivered Short",
        compute="_compute_omni_service",
        store=True,
        copy=False,
        help="A storable line was delivered in a smaller quantity than ordered.",
    )

    @api.depends(
        "picking_ids.state",
        "picking_ids.date_done",
        "picking_ids.omni_delivered_date",
        "picking_ids.carrier_id",
        "order_line.qty_delivered",
        "order_line.product_uom_qty",
    )
    def _compute_omni_service(self):
        for order in self:
            deliveries = order.picking_ids.filtered(
                lambda p: p.picking_type_code == "outgoing" and p.state != "cancel"
            ).sorted("id")
            delivered = deliveries.mapped("omni_delivered_date")
            order.omni_shipment_count = len(deliveries)
            order.omni_shipped_date = max(
                (p.date_done for p in deliveries if p.date_done), default=False
            )
            order.omni_delivered_date = max(delivered) if deliveries and all(delivered) else False
            order.omni_ship_warehouse_id = deliveries[:1].picking_type_id.warehouse_id
            order.omni_ship_carrier_id = deliveries.carrier_id[:1]
            order.omni_delivered_short = any(
                line.qty_delivered < line.product_uom_qty
                for line in order.order_line
                if line.qty_delivered_method == "stock_move" and not line.display_type
            )
