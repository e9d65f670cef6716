import { registry } from "@web/core/registry";

/** An accountant reads the cost of an order from Invoicing > Reporting > Cost per
 * Order: the pivot by channel and month, then the order's breakdown, which she may
 * read but not cost again. */
registry.category("web_tour.tours").add("omni_cost_accountant_reads_costs", {
    steps: () => [
        {
            content: "Open the apps menu",
            trigger: ".o_navbar_apps_menu button",
            run: "click",
        },
        {
            content: "Open Invoicing",
            trigger: ".o_app[data-menu-xmlid='account.menu_finance']",
            run: "click",
        },
        {
            content: "Open the Reporting section",
            trigger: "button[data-menu-xmlid='account.menu_finance_reports']",
            run: "click",
        },
        {
            content: "Open the cost per order",
            trigger: ".dropdown-item[data-menu-xmlid='omni_cost.omni_order_cost_menu_accounting']",
            run: "click",
        },
        {
            content: "The pivot sums the order's fulfilment cost",
            trigger: ".o_pivot .o_pivot_cell_value:contains('16.83')",
        },
        {
            content: "Switch to the list",
            trigger: ".o_switch_view.o_list",
            run: "click",
        },
        {
            content: "Open the order's cost",
            trigger: ".o_data_row:contains('COST-TOUR-1') .o_data_cell[name=order_id]",
            run: "click",
        },
        {
            content: "The breakdown shows the carrier's quote and the total",
            trigger: ".o_form_view .o_field_widget[name=amount_carrier]:contains('7.50')",
        },
        {
            content: "The contribution margin: 200 - 80 of goods - 16.83 of fulfilment",
            trigger: ".o_form_view .o_field_widget[name=margin]:contains('103.17')",
        },
        {
            content: "No button to cost the order again",
            trigger: ".o_form_view:not(:has(button[name=action_recompute]))",
        },
    ],
});
