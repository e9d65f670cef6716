import { registry } from "@web/core/registry";

/** The row of ``product`` on the portal's return form. */
function row(product) {
    return `.o_omni_return_row[data-product="${product}"]`;
}

/** A portal customer returns one lamp of their order: a request without quantity is
 * refused with a message saying what to give, the rug (not returnable) says why, and the
 * request sent shows the return with its label to print. */
registry.category("web_tour.tours").add("omni_returns_portal_return", {
    steps: () => [
        {
            content: "The customer's order offers to return its items",
            trigger: "a.o_omni_return_items",
            run: "click",
        },
        {
            content: "The rug cannot be returned, and the form says why",
            trigger: `${row("Rug")} .o_omni_return_refusal:contains(cannot be returned)`,
        },
        {
            content: "The rug offers no quantity to return",
            trigger: `${row("Rug")}:not(:has(input))`,
        },
        {
            content: "Send the request without saying what is returned",
            trigger: "button.o_omni_return_submit",
            run: "click",
        },
        {
            content: "The form says what to fix",
            trigger: ".o_omni_return_error:contains(Give the quantity of at least one item)",
        },
        {
            content: "One lamp is returned",
            trigger: `${row("Lamp")} input[name^=quantity_]`,
            run: "edit 1",
        },
        {
            content: "Because the customer changed their mind",
            trigger: `${row("Lamp")} select[name^=reason_]`,
            run: "selectByLabel Changed my mind",
        },
        {
            content: "Send the request",
            trigger: "button.o_omni_return_submit",
            run: "click",
        },
        {
            content: "The return is received and awaits the parcel",
            trigger: ".o_omni_portal_return .o_omni_return_state:contains(Awaiting)",
        },
        {
            content: "The lamp is on the return",
            trigger: ".o_omni_portal_return .o_omni_return_line:contains(Lamp)",
        },
        {
            content: "The return label is there to download",
            trigger: ".o_omni_portal_return a.o_omni_return_label",
        },
    ],
});
