import { registry } from "@web/core/registry";

/** A logistics manager reads why routing partly backordered an order, from Omni >
 * Reporting > Routing Decisions, then sums the decisions up in the pivot view. */
registry.category("web_tour.tours").add("omni_oms_routing_decisions", {
    steps: () => [
        {
            content: "Open the apps menu",
            trigger: ".o_navbar_apps_menu button",
            run: "click",
        },
        {
            content: "Open Omni",
            trigger: ".o_app[data-menu-xmlid='omni_base.omni_menu_root']",
            run: "click",
        },
        {
            content: "Open the Reporting section",
            trigger: "button[data-menu-xmlid='omni_base.omni_menu_reporting']",
            run: "click",
        },
        {
            content: "Open the routing decisions",
            trigger: ".dropdown-item[data-menu-xmlid='omni_oms.omni_routing_decision_menu']",
            run: "click",
        },
        {
            content: "Decisions cannot be added by hand",
            trigger: ".o_list_view:not(:has(.o_list_button_add))",
        },
        {
            content: "Open the decision about the order",
            trigger: ".o_data_row:contains('OMNI-TOUR-1') .o_data_cell[name=order_id]",
            run: "click",
        },
        {
            content: "The decision is named after its order and date",
            trigger: ".o_breadcrumb .o_last_breadcrumb_item:contains('OMNI-TOUR-1, ')",
        },
        {
            content: "It says which rule decided",
            trigger: ".o_field_widget[name=rule_id]:contains('Nearest in France')",
        },
        {
            content: "It says what waits for stock, and why",
            trigger: ".o_form_view .alert-warning:contains('Backordered: 2 Units Route Shirt (only 1 in stock where the rule may ship from)')",
        },
        {
            content: "It lists the candidates and what became of each",
            trigger: ".o_field_widget[name=trace_html] tr:contains('Route Lyon'):contains('Ships')",
        },
        {
            content: "Costs are amounts in the company's currency",
            trigger: ".o_field_widget.o_field_monetary[name=estimated_cost]",
        },
        {
            content: "Back to the decisions",
            trigger: ".o_breadcrumb a:contains('Routing Decisions')",
            run: "click",
        },
        {
            content: "Switch to the pivot view",
            trigger: ".o_switch_view.o_pivot",
            run: "click",
        },
        {
            content: "The pivot sums the decisions by rule",
            trigger: ".o_pivot th:contains('Nearest in France')",
        },
    ],
});
