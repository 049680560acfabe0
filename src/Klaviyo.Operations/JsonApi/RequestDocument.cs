using System.Text.Json;
using System.Text.Json.Serialization;
using LanguageExt;

namespace Klaviyo;

/// <summary>
/// A JSON:API request document, <c>{"data":…}</c>, built with <see cref="JsonApi.Document(RequestResource)"/> and
/// its overloads. Use it as an operation's body (<c>RequestBody.Json(document)</c>); any System.Text.Json codec
/// writes it.
/// </summary>
/// <param name="Data">What goes in <c>data</c>.</param>
[JsonConverter(typeof(RequestDocumentConverter))]
public sealed record RequestDocument(RequestData Data)
{
    /// <summary>The shape and types of the data; attributes are left out so personal data stays out of logs.</summary>
    public override string ToString() => $"RequestDocument {{ Data = {Data} }}";
}

/// <summary>The <c>data</c> of a request document: one or many resource objects, or one or many identifiers.</summary>
public abstract record RequestData
{
    private RequestData() { }

    /// <summary>One resource object.</summary>
    /// <param name="Value">The resource.</param>
    public sealed record Resource(RequestResource Value) : RequestData;

    /// <summary>An array of resource objects.</summary>
    /// <param name="Values">The resources, in order.</param>
    public sealed record Resources(Seq<RequestResource> Values) : RequestData;

    /// <summary>One resource identifier.</summary>
    /// <param name="Value">The identifier.</param>
    public sealed record Identifier(ResourceIdentifier Value) : RequestData;

    /// <summary>An array of resource identifiers.</summary>
    /// <param name="Values">The identifiers, in order.</param>
    public sealed record Identifiers(Seq<ResourceIdentifier> Values) : RequestData;
}

/// <summary>Writes a <see cref="RequestDocument"/> as <c>{"data":…}</c>.</summary>
internal sealed class RequestDocumentConverter : JsonConverter<RequestDocument>
{
    private static readonly RequestResourceConverter Resource = new();

    public override RequestDocument Read(
        ref Utf8JsonReader reader,
        Type typeToConvert,
        JsonSerializerOptions options
    ) =>
        throw new NotSupportedException(
            "RequestDocument is for sending; read responses with JsonApiDocument.Parse or KlaviyoResponse.Document()"
        );

    public override void Write(
        Utf8JsonWriter writer,
        RequestDocument value,
        JsonSerializerOptions options
    )
    {
        writer.WriteStartObject();
        writer.WritePropertyName("data");
        switch (value.Data)
        {
            case RequestData.Resource one:
                Resource.Write(writer, one.Value, options);
                break;
            case RequestData.Resources many:
                writer.WriteStartArray();
                foreach (var r in many.Values)
                    Resource.Write(writer, r, options);
                writer.WriteEndArray();
                break;
            case RequestData.Identifier id:
                RequestResourceConverter.WriteIdentifier(writer, id.Value);
                break;
            case RequestData.Identifiers ids:
                writer.WriteStartArray();
                foreach (var id in ids.Values)
                    RequestResourceConverter.WriteIdentifier(writer, id);
                writer.WriteEndArray();
                break;
            default:
                writer.WriteNullValue();
                break;
        }
        writer.WriteEndObject();
    }
}
