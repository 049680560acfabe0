using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using LanguageExt;

namespace Klaviyo;

/// <summary>
/// Builds JSON:API request documents so you never hand-write the envelope, and holds the lenient decoding options.
/// </summary>
/// <example><code>
/// var body = JsonApi.Document(
///     JsonApi.Resource("profile")
///         .Attributes(new { email = "sarah.mason@klaviyo-demo.com", first_name = "Sarah" })
///         .ToMany("lists", JsonApi.Ref("list", "Y6nRLr")));
/// // {"data":{"type":"profile","attributes":{"email":…,"first_name":"Sarah"},
/// //          "relationships":{"lists":{"data":[{"type":"list","id":"Y6nRLr"}]}}}}
/// var op = new RequestOperation(HttpMethod.Post, "/api/profiles") { Body = RequestBody.Json(body) };
/// </code></example>
public static class JsonApi
{
    /// <summary>
    /// The System.Text.Json options used to decode attributes (read-only, shared): snake_case names
    /// (<c>first_name</c> → <c>FirstName</c>) and the member's own name both accepted, any case; unknown fields
    /// ignored; nothing required; numbers and booleans accepted from strings; <c>null</c> or a blank string gives the
    /// default (or <c>null</c>); strings accepted from numbers; dates from ISO 8601; enums by name in any case and
    /// spelling (<c>double_opt_in</c> → <c>DoubleOptIn</c>). Pass them to your own <c>Deserialize</c> calls if useful.
    /// </summary>
    public static JsonSerializerOptions DecodeOptions
    {
        [RequiresUnreferencedCode(TrimMessages.UserTypes)]
        [RequiresDynamicCode(TrimMessages.UserTypes)]
        get => LazyDecodeOptions.Value;
    }

    [UnconditionalSuppressMessage(
        "Trimming",
        "IL2026",
        Justification = TrimMessages.OnlyReflectionOptions
    )]
    [UnconditionalSuppressMessage(
        "AOT",
        "IL3050",
        Justification = TrimMessages.OnlyReflectionOptions
    )]
    private static JsonSerializerOptions CreateDecodeOptions() => AttributeDecoding.CreateOptions();

    // Created on first use, by a caller that the analyzers have already warned (the getter is annotated).
    private static readonly Lazy<JsonSerializerOptions> LazyDecodeOptions = new(
        CreateDecodeOptions
    );

    /// <summary>Starts a resource object of type <paramref name="type"/>, e.g. <c>profile</c>; the id is optional (new resources have none).</summary>
    /// <param name="type">The resource type, as in the spec (<c>profile</c>, <c>list</c>, <c>catalog-item</c>, …).</param>
    /// <param name="id">The id, for updates; <c>null</c> to leave it out.</param>
    public static RequestResource Resource(string type, string? id = null) => new(type, id);

    /// <summary>A resource identifier <c>{"type":…,"id":…}</c>, for relationships.</summary>
    /// <param name="type">The resource type, e.g. <c>list</c>.</param>
    /// <param name="id">The id.</param>
    public static ResourceIdentifier Ref(string type, string id) => new(type, id);

    /// <summary>Identifiers of one type, e.g. <c>JsonApi.Refs("profile", "P1", "P2")</c>.</summary>
    /// <param name="type">The resource type.</param>
    /// <param name="ids">The ids, in order.</param>
    public static Seq<ResourceIdentifier> Refs(string type, params string[] ids) =>
        ids.Select(id => new ResourceIdentifier(type, id)).ToSeq();

    /// <summary>A document whose <c>data</c> is one resource object: the body of a create or update.</summary>
    /// <param name="resource">The resource.</param>
    public static RequestDocument Document(RequestResource resource) =>
        new(new RequestData.Resource(resource));

    /// <summary>A document whose <c>data</c> is an array of resource objects.</summary>
    /// <param name="resources">The resources, in order.</param>
    public static RequestDocument Document(IEnumerable<RequestResource> resources) =>
        new(new RequestData.Resources(resources.ToSeq()));

    /// <summary>A document whose <c>data</c> is one identifier: the body that sets a to-one relationship.</summary>
    /// <param name="target">The related resource.</param>
    public static RequestDocument Document(ResourceIdentifier target) =>
        new(new RequestData.Identifier(target));

    /// <summary>
    /// A document whose <c>data</c> is an array of identifiers: the body of a relationship endpoint, e.g.
    /// <c>JsonApi.Document(JsonApi.Refs("profile", "P1", "P2"))</c> to add profiles to a list.
    /// </summary>
    /// <param name="targets">The related resources, in order.</param>
    public static RequestDocument Document(IEnumerable<ResourceIdentifier> targets) =>
        new(new RequestData.Identifiers(targets.ToSeq()));
}
