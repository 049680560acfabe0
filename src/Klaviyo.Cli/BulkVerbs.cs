namespace Klaviyo.Cli;

/// <summary>The verbs of <c>klaviyo bulk</c> and the bulk operation each one runs.</summary>
internal static class BulkVerbs
{
    /// <summary>Verb → operationId, in the order <c>klaviyo bulk --help</c> lists them.</summary>
    public static readonly IReadOnlyList<(string Verb, string OperationId)> All =
    [
        ("import-profiles", "bulk_import_profiles"),
        ("subscribe", "bulk_subscribe_profiles"),
        ("unsubscribe", "bulk_unsubscribe_profiles"),
        ("suppress", "bulk_suppress_profiles"),
        ("unsuppress", "bulk_unsuppress_profiles"),
        ("create-events", "bulk_create_events"),
        ("delete-profiles", "request_profile_deletion"),
        ("create-catalog-items", "bulk_create_catalog_items"),
        ("update-catalog-items", "bulk_update_catalog_items"),
        ("delete-catalog-items", "bulk_delete_catalog_items"),
        ("create-catalog-variants", "bulk_create_catalog_variants"),
        ("update-catalog-variants", "bulk_update_catalog_variants"),
        ("delete-catalog-variants", "bulk_delete_catalog_variants"),
        ("create-catalog-categories", "bulk_create_catalog_categories"),
        ("update-catalog-categories", "bulk_update_catalog_categories"),
        ("delete-catalog-categories", "bulk_delete_catalog_categories"),
        ("create-coupon-codes", "bulk_create_coupon_codes"),
        ("create-data-source-records", "bulk_create_data_source_records"),
        ("delete-object-records", "bulk_delete_object_records"),
    ];
}
