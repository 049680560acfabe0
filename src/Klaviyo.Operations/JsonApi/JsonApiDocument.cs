using System.Text.Json;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Klaviyo;

/// <summary>
/// A JSON:API document as Klaviyo sends it: primary <c>data</c> (one resource, many, or null), <c>included</c>
/// resources, <c>links</c> (pagination), <c>meta</c> and <c>errors</c>. Read one with <see cref="Parse"/> or
/// <see cref="KlaviyoResponse.Document"/>; decode attributes into your own records with <see cref="DataAs{T}()"/>.
/// </summary>
/// <param name="Data">The primary data.</param>
/// <param name="Included">The <c>included</c> resources (from <c>include=…</c>), in order.</param>
/// <param name="Links">The top-level links; <see cref="JsonApiLinks.Next"/> is the next page.</param>
/// <param name="Meta">The top-level <c>meta</c>, when present and not <c>null</c>.</param>
/// <param name="Errors">The <c>errors</c>, for an error document.</param>
/// <example><code>
/// record Profile(string? Email, string? FirstName, string? PhoneNumber);
/// var profiles = JsonApiDocument.Parse(json).Bind(d => d.DataAs&lt;Profile&gt;());
/// </code></example>
public sealed record JsonApiDocument(
    JsonApiData Data,
    Seq<JsonApiResource> Included,
    JsonApiLinks Links,
    JsonElement? Meta,
    Seq<KlaviyoApiError> Errors
)
{
    /// <summary>The response (or bare element) the document was read from, for decode errors.</summary>
    internal DecodeOrigin? Origin { get; init; }

    /// <summary>
    /// Reads a JSON:API document. Never throws: a root that is not a JSON object, or a non-object where a resource
    /// object must be, is a <see cref="KlaviyoError.Decode"/> naming the path (status 0: no response is involved). A
    /// string or key that is not well-formed Unicode (an escaped lone surrogate such as <c>\ud800</c>, bytes that are
    /// not UTF-8) is data: it is read with each broken part as U+FFFD, here and when attributes are decoded.
    /// </summary>
    /// <param name="root">The document's root element.</param>
    public static Either<KlaviyoError, JsonApiDocument> Parse(JsonElement root) =>
        JsonApiReading.Document(root, DecodeOrigin.Detached(root));

    /// <summary>Every primary resource: none, the single one, or all of them in order.</summary>
    public Seq<JsonApiResource> Resources => Data.Resources;

    /// <summary>
    /// Decodes the attributes of every primary resource into <typeparamref name="T"/> (see
    /// <see cref="JsonApiResource.AttributesAs{T}()"/>). <c>null</c> data gives an empty sequence; the first mismatch
    /// is a <see cref="KlaviyoError.Decode"/> naming its path, e.g. <c>$.data[3].attributes.location.latitude</c>.
    /// </summary>
    /// <typeparam name="T">Your record or class for the attributes.</typeparam>
    public Either<KlaviyoError, Seq<JsonApiResource<T>>> DataAs<T>() => Decode<T>(Resources);

    /// <summary>
    /// Decodes the single primary resource (a <c>get_…</c> by id). Data that is <c>null</c>, or an array of other
    /// than exactly one resource, is a <see cref="KlaviyoError.Decode"/>.
    /// </summary>
    /// <typeparam name="T">Your record or class for the attributes.</typeparam>
    public Either<KlaviyoError, JsonApiResource<T>> Single<T>() =>
        Resources.Count == 1
            ? Resources.Head.As<T>()
            : Error(
                Data is JsonApiData.Null
                    ? "expected a single resource at $.data, found null"
                    : $"expected a single resource at $.data, found {Resources.Count}"
            );

    /// <summary>Decodes the <c>included</c> resources of type <paramref name="type"/> (e.g. <c>list</c>) into <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">Your record or class for the attributes.</typeparam>
    /// <param name="type">The resource type to pick.</param>
    public Either<KlaviyoError, Seq<JsonApiResource<T>>> IncludedAs<T>(string type) =>
        Decode<T>(Included.Filter(r => r.Type == type));

    /// <summary>Finds a resource by identifier among the primary data, then <c>included</c>: how to follow a relationship.</summary>
    /// <param name="identifier">The identifier, e.g. from <see cref="JsonApiRelationship.Data"/>.</param>
    public Option<JsonApiResource> Find(ResourceIdentifier identifier) =>
        (Resources + Included).Find(r => r.Type == identifier.Type && r.Id == identifier.Id);

    /// <summary>
    /// Finds a resource by identifier, the plain C# way: <see cref="Find"/> without LanguageExt's <c>Option</c>.
    /// </summary>
    /// <param name="identifier">The identifier, e.g. from <see cref="JsonApiRelationship.Data"/>.</param>
    /// <param name="resource">The resource, when found.</param>
    /// <returns>Whether it was found.</returns>
    public bool TryFind(
        ResourceIdentifier identifier,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out JsonApiResource? resource
    )
    {
        resource = Find(identifier).MatchUnsafe(r => r, () => (JsonApiResource?)null);
        return resource is not null;
    }

    /// <summary>Shape, counts and links; attributes are left out so personal data stays out of logs.</summary>
    public override string ToString() =>
        $"JsonApiDocument {{ Data = {Data.GetType().Name}({Resources.Count}), Included = {Included.Count}, Errors = {Errors.Count}, Next = {Links.Next} }}";

    private static Either<KlaviyoError, Seq<JsonApiResource<T>>> Decode<T>(
        Seq<JsonApiResource> resources
    )
    {
        var decoded = new List<JsonApiResource<T>>(resources.Count);
        foreach (var r in resources)
        {
            var one = r.As<T>();
            if (one.IsLeft)
                return one.Map(_ => Seq<JsonApiResource<T>>());
            one.IfRight(decoded.Add);
        }
        return toSeq(decoded);
    }

    private KlaviyoError Error(string reason) =>
        (Origin ?? DecodeOrigin.Detached(default)).Error(reason);
}
