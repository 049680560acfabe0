using LanguageExt;
using static LanguageExt.Prelude;

namespace Klaviyo;

/// <summary>
/// The primary <c>data</c> of a JSON:API document: a closed set. <see cref="Null"/> (absent or <c>null</c>, as in an
/// error document or an empty to-one relationship), <see cref="One"/> (a single resource, e.g. <c>get_profile</c>)
/// or <see cref="Many"/> (a collection, e.g. <c>get_profiles</c>).
/// </summary>
public abstract record JsonApiData
{
    private JsonApiData() { }

    /// <summary>Every resource: none, the single one, or all of them in order.</summary>
    public abstract Seq<JsonApiResource> Resources { get; }

    /// <summary><c>data</c> was absent or <c>null</c>.</summary>
    public sealed record Null : JsonApiData
    {
        /// <inheritdoc />
        public override Seq<JsonApiResource> Resources => Seq<JsonApiResource>();
    }

    /// <summary><c>data</c> was a single resource object.</summary>
    /// <param name="Resource">The resource.</param>
    public sealed record One(JsonApiResource Resource) : JsonApiData
    {
        /// <inheritdoc />
        public override Seq<JsonApiResource> Resources => Seq1(Resource);
    }

    /// <summary><c>data</c> was an array of resource objects (possibly empty).</summary>
    /// <param name="Items">The resources, in order.</param>
    public sealed record Many(Seq<JsonApiResource> Items) : JsonApiData
    {
        /// <inheritdoc />
        public override Seq<JsonApiResource> Resources => Items;
    }
}
