"""Post types that are WordPress's (and common plugins') own bookkeeping, not content.

WordPress stores menus, revisions, templates, styles and plugin data as posts
of their own types; an export carries them beside the posts and pages. None
of them is a page a visitor saw.
"""

from __future__ import annotations

__all__ = ["INTERNAL_TYPES"]

#: Post types WordPress and common plugins use for their own bookkeeping; never
#: written as content. Value: the reason given in the report.
INTERNAL_TYPES: dict[str, str] = {
    "attachment": "attachment (media file; used for featured images and galleries)",
    "revision": "revision",
    "nav_menu_item": "navigation menu item",
    "wp_block": "reusable block (inlined where it is used)",
    "wp_template": "block theme template",
    "wp_template_part": "block theme template part",
    "wp_global_styles": "block theme global styles",
    "wp_navigation": "navigation menu",
    "wp_font_family": "font family",
    "wp_font_face": "font face",
    "customize_changeset": "customizer changeset",
    "custom_css": "custom CSS",
    "oembed_cache": "oEmbed cache",
    "user_request": "privacy request",
    "wp_pattern": "block pattern",
    "acf-field": "Advanced Custom Fields field definition",
    "acf-field-group": "Advanced Custom Fields field group",
    "acf-post-type": "Advanced Custom Fields post type definition",
    "acf-taxonomy": "Advanced Custom Fields taxonomy definition",
    "wpcf7_contact_form": "Contact Form 7 form definition",
    "elementor_library": "Elementor template",
    "shop_order": "WooCommerce order (private customer data)",
    "shop_order_refund": "WooCommerce refund (private customer data)",
    "shop_coupon": "WooCommerce coupon",
    "shop_webhook": "WooCommerce webhook",
    "product_variation": "WooCommerce product variation (part of its product)",
    "scheduled-action": "scheduled action (Action Scheduler)",
    "mc4wp-form": "Mailchimp for WordPress form definition",
    "tablepress_table": "TablePress table data",
    "jp_pay_order": "Jetpack payment order",
    "jp_pay_product": "Jetpack payment product",
    "feedback": "contact form submission (private)",
    "amn_wpforms-lite": "WPForms notification",
    "wpforms": "WPForms form definition",
    "wpforms_log": "WPForms log",
    "et_pb_layout": "Divi layout",
    "fl-builder-template": "Beaver Builder template",
    "ct_template": "Oxygen template",
}
