namespace Klaviyo;

/// <summary>
/// Whether sending a request twice does no more than sending it once — the rule that lets an ambiguous failure be
/// retried (see <see cref="RetryPolicy"/>). One definition, applied when the request is built.
/// </summary>
internal static class Idempotency
{
    // POST operations whose effect does not grow when repeated: upserts and state-setting bulk jobs.
    private static readonly System.Collections.Generic.HashSet<string> IdempotentPosts = new(
        StringComparer.Ordinal
    )
    {
        "create_or_update_profile",
        "bulk_import_profiles",
        "bulk_subscribe_profiles",
        "bulk_unsubscribe_profiles",
        "bulk_suppress_profiles",
        "bulk_unsuppress_profiles",
        "request_profile_deletion",
    };

    /// <summary>
    /// The operation's own <see cref="RequestOperation.Idempotent"/> when set; else GET, HEAD, OPTIONS, PUT, DELETE and
    /// PATCH (Klaviyo's updates set values); a POST when it is a reporting query (<c>query_…</c>), adds members to a
    /// relationship (JSON:API: members already present are left alone), or is one of the upserts and state-setting
    /// bulk jobs listed here.
    /// </summary>
    /// <param name="operation">The operation.</param>
    public static bool Of(RequestOperation operation)
    {
        if (operation.Idempotent is { } declared)
            return declared;
        var method = operation.Method.Method.ToUpperInvariant();
        if (method is "GET" or "HEAD" or "OPTIONS" or "PUT" or "DELETE" or "PATCH")
            return true;
        if (method != "POST")
            return false;
        if (operation.Path.Contains("/relationships/", StringComparison.Ordinal))
            return true;
        return operation.OperationId is { } id
            && (id.StartsWith("query_", StringComparison.Ordinal) || IdempotentPosts.Contains(id));
    }
}
