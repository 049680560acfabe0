using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using LanguageExt;

namespace Klaviyo;

/// <summary>
/// The fixture file format (see <c>docs/fixture-format.md</c>): a JSON object with <c>version</c> and
/// <c>interactions</c>, each a <c>request</c>, a <c>response</c> and <c>recordedAt</c>. JSON bodies are stored as
/// JSON, text bodies as strings, other bodies as <c>{"$base64": …}</c>. Keys are written in a fixed order, indented
/// by two spaces, with <c>\n</c> newlines, so files diff well.
/// </summary>
internal static class FixtureFormat
{
    /// <summary>The format version this library writes and reads.</summary>
    public const int Version = 1;

    private const string Base64Marker = "$base64";
    private const string TextMarker = "$text";

    private static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    private static readonly JsonWriterOptions Compact = new() { Encoder = Encoder };

    private static readonly JsonWriterOptions Indented = new()
    {
        Encoder = Encoder,
        Indented = true,
        IndentSize = 2,
        NewLine = "\n",
    };

    /// <summary>One interaction as a JSON element, from an already redacted request and response.</summary>
    /// <param name="request">The redacted request.</param>
    /// <param name="response">The redacted response.</param>
    /// <param name="recordedAt">When it was recorded.</param>
    public static JsonElement Interaction(
        KlaviyoRequest request,
        RawResponse response,
        DateTimeOffset recordedAt
    )
    {
        var buffer = new ArrayBufferWriter<byte>(512 + request.Body.Length + response.Body.Length);
        using (var w = new Utf8JsonWriter(buffer, Compact))
        {
            w.WriteStartObject();
            w.WriteStartObject("request");
            w.WriteString("method", request.Method.Method);
            w.WriteString("url", request.Url);
            WriteHeaders(w, request.Headers);
            w.WritePropertyName("body");
            WriteBody(w, request.Body, request.ContentType);
            w.WriteEndObject();
            w.WriteStartObject("response");
            w.WriteNumber("status", response.StatusCode);
            WriteHeaders(w, response.Headers);
            w.WritePropertyName("body");
            WriteBody(w, response.Body, ContentType(response.Headers));
            w.WriteEndObject();
            w.WriteString(
                "recordedAt",
                recordedAt.UtcDateTime.ToString(
                    "yyyy-MM-dd'T'HH:mm:ss'Z'",
                    CultureInfo.InvariantCulture
                )
            );
            w.WriteEndObject();
        }
        return JsonSerializer.Deserialize<JsonElement>(buffer.WrittenSpan);
    }

    /// <summary>Writes a whole fixture file: version, then the interactions in order, in the stable layout.</summary>
    /// <param name="stream">Where to write.</param>
    /// <param name="interactions">The interactions.</param>
    public static void WriteFile(Stream stream, IEnumerable<JsonElement> interactions)
    {
        using (var w = new Utf8JsonWriter(stream, Indented))
        {
            w.WriteStartObject();
            w.WriteNumber("version", Version);
            w.WriteStartArray("interactions");
            foreach (var interaction in interactions)
                WriteInteraction(w, interaction);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        stream.Write("\n"u8);
    }

    /// <summary>The interactions of a fixture file; throws <see cref="InvalidDataException"/> when it is not one.</summary>
    /// <param name="utf8">The file's bytes.</param>
    /// <param name="path">The file's path, for messages.</param>
    public static IReadOnlyList<JsonElement> ReadFile(ReadOnlyMemory<byte> utf8, string path)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(
                utf8,
                new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip }
            );
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"fixture '{path}' is not valid JSON: {e.Message}", e);
        }
        // The document is kept alive by the elements handed out; it is never disposed (its buffers go to the GC).
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
            throw Invalid(path, "the top level must be an object");
        if (
            !root.TryGetProperty("version", out var version)
            || version.ValueKind != JsonValueKind.Number
            || !version.TryGetInt32(out var v)
        )
            throw Invalid(path, "'version' is missing");
        if (v != Version)
            throw Invalid(
                path,
                $"version {v} is not supported (this library reads version {Version})"
            );
        if (
            !root.TryGetProperty("interactions", out var interactions)
            || interactions.ValueKind != JsonValueKind.Array
        )
            throw Invalid(path, "'interactions' must be an array");
        var list = new List<JsonElement>(interactions.GetArrayLength());
        var index = 0;
        foreach (var interaction in interactions.EnumerateArray())
        {
            if (
                interaction.ValueKind != JsonValueKind.Object
                || !interaction.TryGetProperty("request", out var request)
                || request.ValueKind != JsonValueKind.Object
                || !interaction.TryGetProperty("response", out var response)
                || response.ValueKind != JsonValueKind.Object
                || Str(request, "method") is null
                || Str(request, "url") is null
                || !response.TryGetProperty("status", out var status)
                || !status.TryGetInt32(out _)
            )
                throw Invalid(
                    path,
                    $"interaction {index} needs request.method, request.url and response.status"
                );
            list.Add(interaction);
            index++;
        }
        return list;
    }

    /// <summary>The request's method.</summary>
    /// <param name="interaction">The interaction.</param>
    public static string Method(JsonElement interaction) =>
        Str(interaction.GetProperty("request"), "method")!;

    /// <summary>The request's URL.</summary>
    /// <param name="interaction">The interaction.</param>
    public static string Url(JsonElement interaction) =>
        Str(interaction.GetProperty("request"), "url")!;

    /// <summary>The recorded response; a <c>content-length</c> header is set to the length of the body replayed.</summary>
    /// <param name="interaction">The interaction.</param>
    public static RawResponse Response(JsonElement interaction)
    {
        var response = interaction.GetProperty("response");
        var headers = Headers(response);
        var body = Body(response, ContentType(headers));
        headers = headers.Map(h =>
            h.Name.Equals("content-length", StringComparison.OrdinalIgnoreCase)
                ? (h.Name, body.Length.ToString(CultureInfo.InvariantCulture))
                : h
        );
        return new RawResponse(response.GetProperty("status").GetInt32(), headers, body);
    }

    /// <summary>
    /// The request body in a canonical text form for matching: JSON with sorted keys, compact; other bodies as
    /// stored. Equal for semantically equal JSON.
    /// </summary>
    /// <param name="interaction">The interaction.</param>
    public static string CanonicalRequestBody(JsonElement interaction)
    {
        var request = interaction.GetProperty("request");
        if (!request.TryGetProperty("body", out var body) || body.ValueKind == JsonValueKind.Null)
            return "";
        var sb = new StringBuilder();
        if (IsMarker(body))
            sb.Append(body.GetRawText());
        else if (
            body.ValueKind == JsonValueKind.String
            && !ResponseClassifier.IsJson(ContentType(Headers(request)))
        )
            sb.Append("text:").Append(body.GetString());
        else
        {
            sb.Append("json:");
            Canonical(sb, body);
        }
        return sb.ToString();
    }

    /// <summary>The <c>content-type</c> among <paramref name="headers"/>, or <c>null</c>.</summary>
    /// <param name="headers">The headers.</param>
    public static string? ContentType(Seq<(string Name, string Value)> headers) =>
        headers
            .Find(h => h.Name.Equals("content-type", StringComparison.OrdinalIgnoreCase))
            .Map(h => h.Value)
            .IfNoneUnsafe((string?)null);

    private static InvalidDataException Invalid(string path, string problem) =>
        new($"fixture '{path}' is not a valid fixture file: {problem}");

    private static string? Str(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static void WriteHeaders(Utf8JsonWriter w, Seq<(string Name, string Value)> headers)
    {
        w.WriteStartArray("headers");
        foreach (var (name, value) in headers)
        {
            w.WriteStartArray();
            w.WriteStringValue(name);
            w.WriteStringValue(value);
            w.WriteEndArray();
        }
        w.WriteEndArray();
    }

    private static Seq<(string Name, string Value)> Headers(JsonElement message)
    {
        if (
            !message.TryGetProperty("headers", out var headers)
            || headers.ValueKind != JsonValueKind.Array
        )
            return Seq<(string, string)>.Empty;
        var list = new List<(string, string)>(headers.GetArrayLength());
        foreach (var h in headers.EnumerateArray())
            if (Pair(h) is { } pair)
                list.Add(pair);
        return list.ToSeq();
    }

    // A header as ["name", "value"] or {"name": …, "value": …}.
    private static (string Name, string Value)? Pair(JsonElement h)
    {
        if (
            h.ValueKind == JsonValueKind.Array
            && h.GetArrayLength() == 2
            && h[0].ValueKind == JsonValueKind.String
            && h[1].ValueKind == JsonValueKind.String
        )
            return (h[0].GetString()!, h[1].GetString()!);
        if (
            h.ValueKind == JsonValueKind.Object
            && Str(h, "name") is { } n
            && Str(h, "value") is { } v
        )
            return (n, v);
        return null;
    }

    private static void WriteBody(Utf8JsonWriter w, ReadOnlyMemory<byte> body, string? contentType)
    {
        if (body.IsEmpty)
        {
            w.WriteNullValue();
            return;
        }
        var json = ResponseClassifier.IsJson(contentType);
        if (json)
        {
            try
            {
                var element = JsonSerializer.Deserialize<JsonElement>(body.Span);
                // A JSON null, or an object that looks like one of our markers, is kept as text to stay unambiguous.
                if (element.ValueKind != JsonValueKind.Null && !IsMarker(element))
                {
                    element.WriteTo(w);
                    return;
                }
            }
            catch (JsonException) { }
        }
        if (Utf8.IsValid(body.Span))
        {
            var text = Encoding.UTF8.GetString(body.Span);
            if (json)
            {
                w.WriteStartObject();
                w.WriteString(TextMarker, text);
                w.WriteEndObject();
            }
            else
                w.WriteStringValue(text);
            return;
        }
        w.WriteStartObject();
        w.WriteBase64String(Base64Marker, body.Span);
        w.WriteEndObject();
    }

    private static byte[] Body(JsonElement message, string? contentType)
    {
        if (!message.TryGetProperty("body", out var body) || body.ValueKind == JsonValueKind.Null)
            return [];
        if (IsMarker(body))
        {
            var property = body.EnumerateObject().First();
            return property.Name == Base64Marker
                ? property.Value.GetBytesFromBase64()
                : Encoding.UTF8.GetBytes(property.Value.GetString()!);
        }
        if (body.ValueKind == JsonValueKind.String && !ResponseClassifier.IsJson(contentType))
            return Encoding.UTF8.GetBytes(body.GetString()!);
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, Compact))
            body.WriteTo(w);
        return buffer.WrittenSpan.ToArray();
    }

    private static bool IsMarker(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
            return false;
        var count = 0;
        var marker = false;
        foreach (var p in element.EnumerateObject())
        {
            count++;
            marker =
                p.Value.ValueKind == JsonValueKind.String && p.Name is Base64Marker or TextMarker;
        }
        return count == 1 && marker;
    }

    // Writes one interaction in the stable order; members this version does not know are kept after the known ones.
    private static void WriteInteraction(Utf8JsonWriter w, JsonElement interaction)
    {
        w.WriteStartObject();
        WriteSection(w, interaction, "request", ["method", "url", "headers", "body"]);
        WriteSection(w, interaction, "response", ["status", "headers", "body"]);
        if (interaction.TryGetProperty("recordedAt", out var at))
        {
            w.WritePropertyName("recordedAt");
            at.WriteTo(w);
        }
        foreach (var p in interaction.EnumerateObject())
            if (p.Name is not ("request" or "response" or "recordedAt"))
                p.WriteTo(w);
        w.WriteEndObject();
    }

    private static void WriteSection(
        Utf8JsonWriter w,
        JsonElement interaction,
        string name,
        string[] order
    )
    {
        if (!interaction.TryGetProperty(name, out var section))
            return;
        w.WriteStartObject(name);
        foreach (var key in order)
        {
            if (!section.TryGetProperty(key, out var value))
                continue;
            w.WritePropertyName(key);
            if (key == "headers" && value.ValueKind == JsonValueKind.Array)
                WriteHeaderList(w, value);
            else
                value.WriteTo(w);
        }
        foreach (var p in section.EnumerateObject())
            if (Array.IndexOf(order, p.Name) < 0)
                p.WriteTo(w);
        w.WriteEndObject();
    }

    // Each header on one line: ["name", "value"]. The writer does not indent raw values, so the line carries its own.
    private static void WriteHeaderList(Utf8JsonWriter w, JsonElement headers)
    {
        w.WriteStartArray();
        var indent = Encoding.ASCII.GetBytes(
            "\n" + new string(' ', w.CurrentDepth * Indented.IndentSize)
        );
        foreach (var h in headers.EnumerateArray())
        {
            if (Pair(h) is { } pair)
            {
                var line = new ArrayBufferWriter<byte>(64);
                line.Write(indent);
                line.Write("["u8);
                WriteString(line, pair.Name);
                line.Write(", "u8);
                WriteString(line, pair.Value);
                line.Write("]"u8);
                w.WriteRawValue(line.WrittenSpan, skipInputValidation: true);
            }
            else
                h.WriteTo(w);
        }
        w.WriteEndArray();
    }

    private static void WriteString(ArrayBufferWriter<byte> buffer, string value)
    {
        using var w = new Utf8JsonWriter(buffer, Compact);
        w.WriteStringValue(value);
    }

    // Compact JSON with object members sorted by name, so equal values give equal text.
    private static void Canonical(StringBuilder sb, JsonElement e)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                sb.Append('{');
                var first = true;
                foreach (var p in e.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    if (!first)
                        sb.Append(',');
                    first = false;
                    sb.Append(JsonSerializer.Serialize(p.Name)).Append(':');
                    Canonical(sb, p.Value);
                }
                sb.Append('}');
                break;
            case JsonValueKind.Array:
                sb.Append('[');
                var i = 0;
                foreach (var item in e.EnumerateArray())
                {
                    if (i++ > 0)
                        sb.Append(',');
                    Canonical(sb, item);
                }
                sb.Append(']');
                break;
            case JsonValueKind.String:
                sb.Append(JsonSerializer.Serialize(e.GetString()));
                break;
            case JsonValueKind.Number:
                var raw = e.GetRawText();
                sb.Append(
                    raw.All(c => char.IsAsciiDigit(c) || c == '-') || !e.TryGetDouble(out var d)
                        ? raw
                        : d.ToString("R", CultureInfo.InvariantCulture)
                );
                break;
            default:
                sb.Append(e.GetRawText());
                break;
        }
    }
}
