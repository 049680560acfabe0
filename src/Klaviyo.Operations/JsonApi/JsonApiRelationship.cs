using LanguageExt;

namespace Klaviyo;

/// <summary>
/// One relationship of a resource in a response, e.g. a profile's <c>lists</c>. Klaviyo usually sends only
/// <c>links</c> and adds <c>data</c> when the relationship was requested with <c>include</c> (or
/// <c>fields[…]</c>), so <see cref="HasData"/> tells an absent <c>data</c> from an empty one.
/// </summary>
/// <param name="Data">The related resource identifiers: one for a to-one relationship, none when it is <c>null</c> or absent.</param>
/// <param name="IsToMany">Whether <c>data</c> was an array.</param>
/// <param name="HasData">Whether <c>data</c> was present (even as <c>null</c> or <c>[]</c>).</param>
/// <param name="Links">The relationship's links (<c>self</c>, <c>related</c>).</param>
public sealed record JsonApiRelationship(
    Seq<ResourceIdentifier> Data,
    bool IsToMany,
    bool HasData,
    JsonApiLinks Links
)
{
    /// <summary>The single related identifier of a to-one relationship; <c>None</c> when empty, null or to-many.</summary>
    public Option<ResourceIdentifier> One =>
        !IsToMany && Data.Count == 1 ? Data.Head : Option<ResourceIdentifier>.None;
}
