namespace Klaviyo;

/// <summary>
/// The <c>links</c> of a JSON:API document, resource or relationship. Every link is optional: a missing or
/// <c>null</c> link (or a missing <c>links</c> object) is <c>null</c> here. A link given as an object
/// (<c>{"href":…}</c>, JSON:API 1.1) is read from its <c>href</c>.
/// </summary>
/// <param name="Self">The link to this document, resource or relationship.</param>
/// <param name="Next">The next page of a collection; <c>null</c> on the last page.</param>
/// <param name="Prev">The previous page.</param>
/// <param name="First">The first page.</param>
/// <param name="Last">The last page.</param>
/// <param name="Related">For a relationship: the related resources.</param>
public sealed record JsonApiLinks(
    string? Self = null,
    string? Next = null,
    string? Prev = null,
    string? First = null,
    string? Last = null,
    string? Related = null
)
{
    /// <summary>No links at all.</summary>
    public static readonly JsonApiLinks None = new();
}
