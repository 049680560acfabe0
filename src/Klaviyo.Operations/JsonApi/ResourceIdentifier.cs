using System.Text.Json;
using System.Text.Json.Serialization;

namespace Klaviyo;

/// <summary>
/// A JSON:API resource identifier: <c>{"type":"list","id":"L1"}</c>. Found in the <c>data</c> of a relationship in
/// a response, and written by the request builders (<see cref="JsonApi.Ref"/>). Any System.Text.Json codec writes it
/// with lowercase <c>type</c> and <c>id</c>, whatever its naming policy.
/// </summary>
/// <param name="Type">The resource type, e.g. <c>list</c>.</param>
/// <param name="Id">The resource id.</param>
[JsonConverter(typeof(ResourceIdentifierConverter))]
public sealed record ResourceIdentifier(string Type, string Id)
{
    /// <summary><c>type:id</c>, e.g. <c>list:L1</c>.</summary>
    public override string ToString() => $"{Type}:{Id}";
}

/// <summary>Writes and reads <see cref="ResourceIdentifier"/> as <c>{"type":…,"id":…}</c>.</summary>
internal sealed class ResourceIdentifierConverter : JsonConverter<ResourceIdentifier>
{
    public override ResourceIdentifier? Read(
        ref Utf8JsonReader reader,
        Type typeToConvert,
        JsonSerializerOptions options
    )
    {
        if (reader.TokenType == JsonTokenType.Null)
            return null;
        using var doc = JsonDocument.ParseValue(ref reader);
        return JsonApiReading.Identifier(doc.RootElement)
            ?? throw new JsonException(
                "expected a resource identifier: an object with string 'type' and 'id'"
            );
    }

    public override void Write(
        Utf8JsonWriter writer,
        ResourceIdentifier value,
        JsonSerializerOptions options
    )
    {
        writer.WriteStartObject();
        writer.WriteString("type", value.Type);
        writer.WriteString("id", value.Id);
        writer.WriteEndObject();
    }
}
