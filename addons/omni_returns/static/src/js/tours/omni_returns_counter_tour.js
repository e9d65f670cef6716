import { registry } from "@web/core/registry";

const lamp = ".modal .o_field_widget[name=line_ids] .o_data_row:contains(Lamp)";

/** A Paris clerk takes back a lamp bought on the web: the order is found by the
 * customer's e-mail, the lamp taken as unopened, received at once, and the receipt
 * offered to print. */
registry.category("web_tour.tours").add("omni_returns_counter_return", {
    steps: () => [
        {
            content: "Open the Stores menu",
            trigger: ".o_menu_sections .dropdown-toggle:contains(Stores)",
            run: "click",
        },
        {
            content: "Return in Store",
            trigger: ".dropdown-item:contains(Return in Store)",
            run: "click",
        },
        {
            content: "The counter is the clerk's store's",
            trigger: ".modal .o_field_widget[name=store_id] input:value(Returns Paris)",
        },
        {
            content: "Look the order up by the customer's e-mail",
            trigger: ".modal .o_field_widget[name=lookup] input",
            run: "edit camille@example.com",
        },
        {
            content: "Find it",
            trigger: ".modal button[name=action_find]",
            run: "click",
        },
        {
            content: "The customer's order is found, with its items",
            trigger: ".modal .o_field_widget[name=partner_id]:contains(Camille Martin)",
        },
        {
            content: "Take one lamp",
            trigger: `${lamp} td[name=quantity]`,
            run: "click",
        },
        {
            content: "One",
            trigger: `${lamp} td[name=quantity] input`,
            run: "edit 1",
        },
        {
            content: "Give the reason",
            trigger: `${lamp} td[name=reason_id] input`,
            run: "edit Changed",
        },
        {
            content: "Changed my mind",
            trigger: ".o-autocomplete--dropdown-item:contains(Changed my mind)",
            run: "click",
        },
        {
            content: "Unopened, the customer says",
            trigger: `${lamp} td[name=condition] select`,
            run: "selectByLabel Unopened",
        },
        {
            content: "Receive the lamp",
            trigger: ".modal button[name=action_create]",
            run: "click",
        },
        {
            content: "The return is received at the store",
            trigger: ".modal .alert-success:contains(received at the store)",
        },
        {
            content: "The receipt is there to print",
            trigger: ".modal button[name=action_print_receipt]",
        },
    ],
});
