using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;
using LanguageExt;

namespace Klaviyo;

/// <summary>
/// A resource object to send: <c>{"type":…,"id":…,"attributes":…,"relationships":…}</c>. Build one with
/// <see cref="JsonApi.Resource"/>; every method returns a new value. Any System.Text.Json codec writes the envelope
/// names exactly (<c>type</c>, <c>id</c>, <c>attributes</c>, <c>relationships</c>, <c>data</c>); the attributes are
/// written by the codec as it writes any value, so with the default codec their names go out as you wrote them.
/// It can also sit inside another body, e.g. in the attributes of a bulk job.
/// </summary>
/// <param name="Type">The resource type, e.g. <c>profile</c>.</param>
/// <param name="Id">The id; <c>null</c> leaves it out.</param>
[JsonConverter(typeof(RequestResourceConverter))]
public sealed record RequestResource(string Type, string? Id = null)
{
    /// <summary>The value written as <c>attributes</c>; <c>null</c> leaves the member out.</summary>
    public object? AttributesValue { get; init; }

    /// <summary>The relationships, in the order they were added.</summary>
    public Seq<(string Name, RequestRelationship Relationship)> Relationships { get; init; }

    /// <summary>Sets the attributes: an anonymous object, a dictionary, a record, a <c>JsonNode</c> or <c>JsonElement</c>.</summary>
    /// <param name="attributes">The attributes; <c>null</c> leaves the <c>attributes</c> member out.</param>
    public RequestResource Attributes(object? attributes) =>
        this with
        {
            AttributesValue = attributes,
        };

    /// <summary>Adds (or replaces) a to-one relationship: <c>{"data":{"type":…,"id":…}}</c>; <c>null</c> clears it (<c>{"data":null}</c>).</summary>
    /// <param name="name">The relationship name, e.g. <c>coupon</c>.</param>
    /// <param name="target">The related resource, or <c>null</c>.</param>
    public RequestResource ToOne(string name, ResourceIdentifier? target) =>
        With(name, new RequestRelationship.ToOne(target));

    /// <summary>Adds (or replaces) a to-many relationship: <c>{"data":[{"type":…,"id":…},…]}</c>.</summary>
    /// <param name="name">The relationship name, e.g. <c>lists</c>.</param>
    /// <param name="targets">The related resources, in order (none gives <c>[]</c>).</param>
    public RequestResource ToMany(string name, params ResourceIdentifier[] targets) =>
        With(name, new RequestRelationship.ToMany(targets.ToSeq()));

    /// <summary>Adds (or replaces) a to-many relationship from a sequence, e.g. <see cref="JsonApi.Refs"/>.</summary>
    /// <param name="name">The relationship name, e.g. <c>categories</c>.</param>
    /// <param name="targets">The related resources, in order.</param>
    public RequestResource ToMany(string name, IEnumerable<ResourceIdentifier> targets) =>
        With(name, new RequestRelationship.ToMany(targets.ToSeq()));

    private RequestResource With(string name, RequestRelationship relationship) =>
        Relationships.Exists(r => r.Name == name)
            ? this with
            {
                Relationships = Relationships.Map(r => r.Name == name ? (name, relationship) : r),
            }
            : this with
            {
                Relationships = Relationships.Add((name, relationship)),
            };

    /// <summary>Type, id and relationship names; attributes are left out so personal data stays out of logs.</summary>
    public override string ToString() =>
        $"RequestResource {{ Type = {Type}, Id = {Id}, Relationships = [{string.Join(", ", Relationships.Map(r => r.Name))}] }}";
}

/// <summary>A relationship to send: to-one or to-many.</summary>
public abstract record RequestRelationship
{
    private RequestRelationship() { }

    /// <summary>A to-one relationship; <c>null</c> target writes <c>"data":null</c>.</summary>
    /// <param name="Target">The related resource.</param>
    public sealed record ToOne(ResourceIdentifier? Target) : RequestRelationship;

    /// <summary>A to-many relationship.</summary>
    /// <param name="Targets">The related resources, in order.</param>
    public sealed record ToMany(Seq<ResourceIdentifier> Targets) : RequestRelationship;
}

/// <summary>Writes a <see cref="RequestResource"/>; the envelope names are literal, whatever the codec's naming policy.</summary>
internal sealed class RequestResourceConverter : JsonConverter<RequestResource>
{
    public override RequestResource Read(
        ref Utf8JsonReader reader,
        Type typeToConvert,
        JsonSerializerOptions options
    ) =>
        throw new NotSupportedException(
            "RequestResource is for sending; read responses with JsonApiDocument.Parse or KlaviyoResponse.Document()"
        );

    [UnconditionalSuppressMessage(
        "Trimming",
        "IL2026",
        Justification = "Runs inside the codec's encoding of an untyped body (SystemTextJsonCodec.Encode, the reflection path for objects); generated models resolve through their generated metadata."
    )]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "As above.")]
    public override void Write(
        Utf8JsonWriter writer,
        RequestResource value,
        JsonSerializerOptions options
    )
    {
        writer.WriteStartObject();
        writer.WriteString("type", value.Type);
        if (value.Id is not null)
            writer.WriteString("id", value.Id);
        if (value.AttributesValue is { } attributes)
        {
            writer.WritePropertyName("attributes");
            JsonSerializer.Serialize(writer, attributes, attributes.GetType(), options);
        }
        if (!value.Relationships.IsEmpty)
        {
            writer.WritePropertyName("relationships");
            writer.WriteStartObject();
            foreach (var (name, relationship) in value.Relationships)
            {
                writer.WritePropertyName(name);
                writer.WriteStartObject();
                writer.WritePropertyName("data");
                switch (relationship)
                {
                    case RequestRelationship.ToOne { Target: { } target }:
                        WriteIdentifier(writer, target);
                        break;
                    case RequestRelationship.ToMany many:
                        writer.WriteStartArray();
                        foreach (var target in many.Targets)
                            WriteIdentifier(writer, target);
                        writer.WriteEndArray();
                        break;
                    default:
                        writer.WriteNullValue();
                        break;
                }
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
    }

    internal static void WriteIdentifier(Utf8JsonWriter writer, ResourceIdentifier id)
    {
        writer.WriteStartObject();
        writer.WriteString("type", id.Type);
        writer.WriteString("id", id.Id);
        writer.WriteEndObject();
    }
}
