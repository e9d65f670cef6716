import { registry } from "@web/core/registry";

function scan(barcode) {
    return {
        content: `Scan ${barcode}`,
        trigger: ".o_omni_ps_scan",
        run: `edit ${barcode} && press Enter`,
    };
}

/** A warehouse operator picks a wave with the picking screen, scanning location and
 * product at each stop; a wrong location and a product not in the wave are refused
 * with a clear message; the last stop is short; the orders are packed by tote. */
registry.category("web_tour.tours").add("omni_wms_picking_screen", {
    steps: () => [
        {
            content: "Take the wave",
            trigger: ".o_omni_ps_wave:contains('OWT Screen Wave')",
            run: "click",
        },
        {
            content: "The screen leads to the first stop of the route",
            trigger: ".o_omni_ps_location:contains('A-01-1')",
        },
        scan("D-04-1"),
        {
            content: "A wrong location is refused",
            trigger: ".o_omni_ps_message.alert-danger:contains('Wrong location: D-04-1 is not OWT/Stock/A-01-1')",
        },
        scan("A-01-1"),
        {
            content: "Then the product is asked for",
            trigger: ".o_omni_ps_product.border-primary:contains('OWT-P1')",
        },
        scan("OWTP7BAR"),
        {
            content: "A product not in the wave is refused",
            trigger: ".o_omni_ps_message.alert-danger:contains('OWTP7BAR is not a product of wave')",
        },
        scan("OWTP1BAR"),
        {
            content: "The screen says which tote the unit goes into",
            trigger: ".o_omni_ps_tote:contains('Tote')",
        },
        {
            content: "Confirm the quantity",
            trigger: ".o_omni_ps_quantity_form .o_omni_ps_confirm",
            run: "click",
        },
        {
            content: "Second stop, up aisle B",
            trigger: ".o_omni_ps_progress:contains('1 / 3')",
        },
        {
            content: "Tap the location instead of scanning it",
            trigger: ".o_omni_ps_location:contains('B-04-1')",
            run: "click",
        },
        {
            content: "The product is asked for",
            trigger: ".o_omni_ps_product.border-primary:contains('OWT-P2')",
        },
        scan("OWTP2BAR"),
        {
            content: "Confirm with Enter, as a scanner does",
            trigger: ".o_omni_ps_quantity_input",
            run: "click && press Enter",
        },
        {
            content: "Last stop",
            trigger: ".o_omni_ps_location:contains('B-02-1')",
        },
        scan("B-02-1"),
        {
            content: "The product is asked for",
            trigger: ".o_omni_ps_product.border-primary:contains('OWT-P4')",
        },
        scan("OWTP4BAR"),
        {
            content: "Nothing found in the location: a short pick",
            trigger: ".o_omni_ps_quantity_input",
            run: "edit 0",
        },
        {
            content: "Confirm the short pick",
            trigger: ".o_omni_ps_quantity_form .o_omni_ps_confirm",
            run: "click",
        },
        {
            content: "The short pick is said",
            trigger: ".o_omni_ps_message.alert-warning:contains('Short pick')",
        },
        {
            content: "Every line is picked: pack the orders",
            trigger: ".o_omni_ps_totes + .o_omni_ps_pack",
            run: "click",
        },
        {
            content: "Each order is in the package of its tote",
            trigger: ".o_omni_ps_package:contains('-T1')",
        },
        {
            content: "Back to the waves",
            trigger: ".o_omni_ps_back",
            run: "click",
        },
        {
            content: "The wave picked is no longer offered",
            trigger: ".o_omni_ps_body h2:contains('Waves to pick')",
            run() {
                const offered = this.anchor.closest(".o_omni_ps_body").textContent;
                if (offered.includes("OWT Screen Wave")) {
                    throw new Error("The wave picked and packed is still offered");
                }
            },
        },
    ],
});
