using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using LanguageExt;

namespace Klaviyo;

/// <summary>
/// One JSON:API resource object read from a response: <c>type</c>, <c>id</c>, raw <c>attributes</c>,
/// <c>relationships</c> and <c>links</c>. Decode the attributes into your own record with
/// <see cref="AttributesAs{T}()"/>.
/// </summary>
/// <param name="Type">The resource type, e.g. <c>profile</c>; empty when the server left it out.</param>
/// <param name="Id">The resource id; <c>null</c> when absent.</param>
/// <param name="Attributes">The <c>attributes</c> object; an empty object when absent or <c>null</c>.</param>
/// <param name="Relationships">The relationships by name, e.g. <c>lists</c>, <c>push-tokens</c>.</param>
/// <param name="Links">The resource's links (usually <c>self</c>).</param>
/// <param name="Meta">The resource's <c>meta</c>, when present and not <c>null</c>.</param>
/// <example><code>
/// record Profile(string? Email, string? FirstName, DateTimeOffset? Created);
/// Either&lt;KlaviyoError, Profile&gt; profile = resource.AttributesAs&lt;Profile&gt;();
/// </code></example>
public sealed record JsonApiResource(
    string Type,
    string? Id,
    JsonElement Attributes,
    Map<string, JsonApiRelationship> Relationships,
    JsonApiLinks Links,
    JsonElement? Meta = null
)
{
    /// <summary>Where the resource sits in its document, e.g. <c>$.data[3]</c>; used in decode errors.</summary>
    internal string Location { get; init; } = "$";

    /// <summary>The response the resource was read from, for decode errors.</summary>
    internal DecodeOrigin? Origin { get; init; }

    /// <summary>This resource's identifier, when it has an id.</summary>
    public Option<ResourceIdentifier> Identifier =>
        Id is null ? Option<ResourceIdentifier>.None : new ResourceIdentifier(Type, Id);

    /// <summary>The relationship named <paramref name="name"/>, e.g. <c>lists</c>.</summary>
    /// <param name="name">The relationship name as Klaviyo spells it.</param>
    public Option<JsonApiRelationship> Relationship(string name) => Relationships.Find(name);

    /// <summary>
    /// Decodes <see cref="Attributes"/> into <typeparamref name="T"/>, leniently (see <see cref="JsonApi.DecodeOptions"/>):
    /// unknown fields are ignored, <c>first_name</c> and <c>FirstName</c> both fill <c>FirstName</c>, numbers may come
    /// as strings, nulls give defaults. A real mismatch is a <see cref="KlaviyoError.Decode"/> naming the JSON path,
    /// e.g. <c>$.data[3].attributes.location.latitude</c>. Never throws.
    /// </summary>
    /// <typeparam name="T">Your record or class for the attributes.</typeparam>
    [RequiresUnreferencedCode(TrimMessages.UserTypes)]
    [RequiresDynamicCode(TrimMessages.UserTypes)]
    public Either<KlaviyoError, T> AttributesAs<T>() => AttributesAs<T>(JsonApi.DecodeOptions);

    /// <summary>Decodes <see cref="Attributes"/> into <typeparamref name="T"/> with your own serializer options. Never throws.</summary>
    /// <typeparam name="T">Your record or class for the attributes.</typeparam>
    /// <param name="options">The System.Text.Json options to decode with.</param>
    [RequiresUnreferencedCode(TrimMessages.UserTypes)]
    [RequiresDynamicCode(TrimMessages.UserTypes)]
    public Either<KlaviyoError, T> AttributesAs<T>(JsonSerializerOptions options) =>
        AttributeDecoding.Decode<T>(
            Attributes,
            Location + ".attributes",
            Origin ?? DecodeOrigin.Detached(Attributes),
            options
        );

    /// <summary>
    /// Decodes <see cref="Attributes"/> with source-generated metadata (a <c>JsonSerializerContext</c>'s type info, or
    /// a generated model's): no reflection, so it works in trimmed and Native AOT apps. Never throws.
    /// </summary>
    /// <typeparam name="T">The attributes' type.</typeparam>
    /// <param name="typeInfo">The type's metadata, e.g. <c>MyJsonContext.Default.ProfileAttributes</c>.</param>
    public Either<KlaviyoError, T> AttributesAs<T>(JsonTypeInfo<T> typeInfo) =>
        AttributeDecoding.Decode(
            Attributes,
            Location + ".attributes",
            Origin ?? DecodeOrigin.Detached(Attributes),
            typeInfo
        );

    /// <summary>This resource with its attributes decoded into <typeparamref name="T"/>. Never throws.</summary>
    /// <typeparam name="T">Your record or class for the attributes.</typeparam>
    [RequiresUnreferencedCode(TrimMessages.UserTypes)]
    [RequiresDynamicCode(TrimMessages.UserTypes)]
    public Either<KlaviyoError, JsonApiResource<T>> As<T>() =>
        AttributesAs<T>().Map(a => new JsonApiResource<T>(this, a));

    /// <summary>This resource with its attributes decoded with source-generated metadata: trim- and AOT-safe. Never throws.</summary>
    /// <typeparam name="T">The attributes' type.</typeparam>
    /// <param name="typeInfo">The type's metadata, e.g. <c>MyJsonContext.Default.ProfileAttributes</c>.</param>
    public Either<KlaviyoError, JsonApiResource<T>> As<T>(JsonTypeInfo<T> typeInfo) =>
        AttributesAs(typeInfo).Map(a => new JsonApiResource<T>(this, a));

    /// <summary>Type, id and relationship names; the attributes are left out so personal data stays out of logs.</summary>
    public override string ToString() =>
        $"JsonApiResource {{ Type = {Type}, Id = {Id}, Relationships = [{string.Join(", ", Relationships.Keys)}] }}";
}
