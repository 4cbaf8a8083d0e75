import reflex as rx

from components.confirm import confirm_dialog
from components.forms import field, form_card, pager, select_field
from components.layout import error_callout, protected, success_callout
from components.tables import table_root
from components.states import list_states
from state.admin.index import AdminUsersState
from state.session import SessionState

ROLES = ["agency", "finance", "it", "admin", "traveler"]
SORTS = [("email", "Email"), ("name", "Name"), ("-created", "Newest first"), ("created", "Oldest first"),
         ("-last_sign_in", "Last signed in"), ("last_sign_in", "Longest without signing in")]


def _create_form() -> rx.Component:
    errors = AdminUsersState.field_errors
    return form_card(
        rx.grid(
            field("Name", "name", errors=errors),
            field("Email", "email", type="email", errors=errors),
            field("Initial password (12+ characters)", "password", type="password", min_length=12, errors=errors),
            select_field("Role", "role", ROLES, default="agency", errors=errors),
            columns=rx.breakpoints(initial="1", sm="2"), spacing="3", width="100%",
        ),
        title="Create an account", on_submit=AdminUsersState.create, key=AdminUsersState.form_version,
        submit_label="Create account", submit_id="create-user-submit", form_id="create-user",
    )


def _row(user: dict) -> rx.Component:
    disabled = user["status"] == "disabled"
    return rx.table.row(
        rx.table.cell(user["email"]), rx.table.cell(user["name"]), rx.table.cell(rx.badge(user["role"])),
        rx.table.cell(rx.badge(user["status"], color_scheme=rx.cond(disabled, "red", "green"))),
        rx.table.cell(user["created"]), rx.table.cell(user["last_sign_in"]),
        # Admins cannot disable themselves (the service refuses it too), so no button on their own row.
        rx.table.cell(rx.cond(
            user["email"] == SessionState.user_email,
            rx.text("you", size="1", color_scheme="gray"),
            rx.button(rx.cond(disabled, "Enable", "Disable"), size="1", variant="soft",
                      color_scheme=rx.cond(disabled, "green", "red"),
                      on_click=AdminUsersState.ask_toggle(user["id"], user["email"], ~disabled)),
        )),
    )


def _confirm_dialog() -> rx.Component:
    return confirm_dialog(
        open=AdminUsersState.confirm_id != "",
        title=rx.cond(AdminUsersState.confirm_disable, "Disable account?", "Enable account?"),
        description=[rx.cond(AdminUsersState.confirm_disable,
                             "The account can no longer sign in and its open sessions stop working: ",
                             "The account will be able to sign in again: "),
                     AdminUsersState.confirm_email],
        on_cancel=AdminUsersState.cancel_toggle, on_confirm=AdminUsersState.confirm_toggle, confirm_id="confirm-toggle",
        color=rx.cond(AdminUsersState.confirm_disable, "red", "green"),
    )


@rx.page(route="/admin", title="Users · Admin · AstroBookings",
         on_load=[SessionState.guard("admin"), AdminUsersState.load])
def admin_users() -> rx.Component:
    return protected(
        rx.heading("Users and roles", size="7", id="portal-title"),
        error_callout(AdminUsersState.form_error),
        success_callout(AdminUsersState.notice),
        _create_form(),
        rx.hstack(
            rx.form(rx.hstack(
                rx.text("Search", as_="label", custom_attrs={"htmlFor": "user-search"}, size="2"),
                rx.input(id="user-search", name="q", type="search", placeholder="Name or email", size="1"),
                rx.button("Search", type="submit", size="1", variant="soft", id="user-search-submit"),
                align="center", spacing="2"), on_submit=AdminUsersState.find, id="user-search-form"),
            rx.text("Show", size="2"),
            rx.select(["all", *ROLES], value=AdminUsersState.role_filter, on_change=AdminUsersState.filter_role, size="1",
                      custom_attrs={"aria-label": "Role"}),
            rx.text("Sort", as_="label", custom_attrs={"htmlFor": "user-sort"}, size="2"),
            rx.el.select(*[rx.el.option(label, value=key) for key, label in SORTS], id="user-sort",
                         value=AdminUsersState.sort, on_change=AdminUsersState.sort_by, style={"padding": "4px"}),
            rx.spacer(),
            rx.text(AdminUsersState.total_words, size="2", color_scheme="gray", id="users-total"),
            align="center", width="100%", wrap="wrap",
        ),
        list_states(
            table_root(
                rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in ("Email", "Name", "Role", "Status", "Created", "Last sign-in", "")])),
                rx.table.body(rx.foreach(AdminUsersState.rows, _row)),
                width="100%", id="users-table",
            ),
            what="the accounts", empty=AdminUsersState.total == 0, error=AdminUsersState.load_error,
            empty_view=rx.text("No accounts match this filter.", color_scheme="gray", id="no-users"),
        ),
        pager(AdminUsersState.page, AdminUsersState.pages, AdminUsersState.prev_page, AdminUsersState.next_page),
        _confirm_dialog(),
    )
