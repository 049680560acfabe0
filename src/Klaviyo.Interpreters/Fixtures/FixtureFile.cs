using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Klaviyo;

/// <summary>
/// The fixture file format, version 1 (see <c>docs/fixture-format.md</c>): a JSON object with <c>version</c> and
/// <c>interactions</c>, each a <c>request</c>, a <c>response</c> and <c>recordedAt</c>. Keys are written in a fixed
/// order, indented by two spaces, one header per line, <c>\n</c> newlines, so files diff well. Reading and writing
/// only; where files live and when they are saved is <see cref="FixtureRecorder"/>'s business.
/// </summary>
public static class FixtureFile
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

    /// <summary>
    /// The interactions of a fixture file. Throws <see cref="InvalidDataException"/> (naming the file and the problem)
    /// when the bytes are not a fixture this library can read: not UTF-8 JSON, another version, a malformed interaction.
    /// </summary>
    /// <param name="utf8">The file's bytes.</param>
    /// <param name="path">The file's path, for messages.</param>
    public static IReadOnlyList<Interaction> Read(ReadOnlyMemory<byte> utf8, string path) =>
        ReadAll(utf8, path, ReadInteraction);

    /// <summary>
    /// What replaying needs of each interaction of a fixture file, checked as <see cref="Read"/> checks it: the
    /// request's method and URL, the response's status, and the response itself unread (its headers and body are read
    /// on its first play, <see cref="ReadResponse(ReplayEntry)"/>). Throws as <see cref="Read"/> does.
    /// </summary>
    /// <param name="utf8">The file's bytes.</param>
    /// <param name="path">The file's path, for messages.</param>
    internal static IReadOnlyList<ReplayEntry> ReadForReplay(
        ReadOnlyMemory<byte> utf8,
        string path
    ) => ReadAll(utf8, path, ReadEntry);

    /// <summary>One interaction as replaying first needs it.</summary>
    /// <param name="Method">The request's method.</param>
    /// <param name="Url">The request's URL.</param>
    /// <param name="Status">The response's status.</param>
    /// <param name="Response">The response object, read by <see cref="ReadResponse(ReplayEntry)"/>.</param>
    internal sealed record ReplayEntry(string Method, string Url, int Status, JsonElement Response);

    /// <summary>The recorded response of an entry, read as <see cref="Read"/> reads it.</summary>
    /// <param name="entry">The entry.</param>
    internal static RecordedResponse ReadResponse(ReplayEntry entry) =>
        ReadResponse(entry.Response, entry.Status);

    private static IReadOnlyList<T> ReadAll<T>(
        ReadOnlyMemory<byte> utf8,
        string path,
        Func<JsonElement, T?> read
    )
        where T : class
    {
        if (!System.Text.Unicode.Utf8.IsValid(utf8.Span))
            throw Invalid(path, "it is not UTF-8 text");
        try
        {
            // Not disposed: the interactions' JSON bodies and extra members point into the document.
            var document = JsonDocument.Parse(
                utf8,
                new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip }
            );
            return ReadRoot(document.RootElement, path, read);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"fixture '{path}' is not valid JSON: {e.Message}", e);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"fixture '{path}' cannot be read: {e.Message}", e);
        }
    }

    private static List<T> ReadRoot<T>(JsonElement root, string path, Func<JsonElement, T?> read)
        where T : class
    {
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
        var list = new List<T>(interactions.GetArrayLength());
        var index = 0;
        foreach (var element in interactions.EnumerateArray())
        {
            list.Add(
                read(element)
                    ?? throw Invalid(
                        path,
                        $"interaction {index} needs request.method, request.url and response.status"
                    )
            );
            index++;
        }
        return list;
    }

    // The checks of ReadInteraction, and the bodies' base64 (the one part of reading a body that can fail): a file
    // that Read refuses is refused here too, when it is loaded rather than when it is played.
    private static ReplayEntry? ReadEntry(JsonElement e)
    {
        if (
            !TryParts(
                e,
                out var request,
                out var response,
                out var method,
                out var url,
                out var code
            )
        )
            return null;
        CheckMarker(request);
        CheckMarker(response);
        return new ReplayEntry(method, url, code, response);
    }

    // What an interaction must have: a request with a method and a URL, a response with a whole-number status.
    private static bool TryParts(
        JsonElement e,
        out JsonElement request,
        out JsonElement response,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? method,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? url,
        out int code
    )
    {
        request = response = default;
        method = url = null;
        code = 0;
        return e.ValueKind == JsonValueKind.Object
            && e.TryGetProperty("request", out request)
            && request.ValueKind == JsonValueKind.Object
            && e.TryGetProperty("response", out response)
            && response.ValueKind == JsonValueKind.Object
            && (method = Str(request, "method")) is not null
            && (url = Str(request, "url")) is not null
            && response.TryGetProperty("status", out var status)
            && status.TryGetInt32(out code);
    }

    private static void CheckMarker(JsonElement message)
    {
        if (message.TryGetProperty("body", out var body) && IsMarker(body))
            _ = Body(message, null);
    }

    private static RecordedResponse ReadResponse(JsonElement response, int code)
    {
        var headers = Headers(response);
        return new RecordedResponse(
            code,
            headers,
            Body(response, RecordedResponse.ContentTypeOf(headers))
        )
        {
            Extra = Extra(response, ResponseMembers),
        };
    }

    private static Interaction? ReadInteraction(JsonElement e)
    {
        if (
            !TryParts(
                e,
                out var request,
                out var response,
                out var method,
                out var url,
                out var code
            )
        )
            return null;
        var requestHeaders = Headers(request);
        DateTimeOffset? at =
            Str(e, "recordedAt") is { } text
            && DateTimeOffset.TryParse(
                text,
                CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
                out var parsed
            )
                ? parsed
                : null;
        return new Interaction(
            new RecordedRequest(
                method,
                url,
                requestHeaders,
                Body(request, RecordedResponse.ContentTypeOf(requestHeaders))
            )
            {
                Extra = Extra(request, RequestMembers),
            },
            ReadResponse(response, code),
            at
        )
        {
            Extra = Extra(e, InteractionMembers),
        };
    }

    /// <summary>Writes a whole fixture file: version, then the interactions in order, in the stable layout.</summary>
    /// <param name="stream">Where to write.</param>
    /// <param name="interactions">The interactions.</param>
    public static void Write(Stream stream, IEnumerable<Interaction> interactions)
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

    private static void WriteInteraction(Utf8JsonWriter w, Interaction interaction)
    {
        w.WriteStartObject();
        var request = interaction.Request;
        w.WriteStartObject("request");
        w.WriteString("method", request.Method);
        w.WriteString("url", request.Url);
        WriteHeaders(w, request.Headers);
        w.WritePropertyName("body");
        WriteBody(w, request.Body, RecordedResponse.ContentTypeOf(request.Headers));
        WriteExtra(w, request.Extra);
        w.WriteEndObject();
        var response = interaction.Response;
        w.WriteStartObject("response");
        w.WriteNumber("status", response.Status);
        WriteHeaders(w, response.Headers);
        w.WritePropertyName("body");
        WriteBody(w, response.Body, RecordedResponse.ContentTypeOf(response.Headers));
        WriteExtra(w, response.Extra);
        w.WriteEndObject();
        if (interaction.RecordedAt is { } at)
            w.WriteString(
                "recordedAt",
                at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            );
        WriteExtra(w, interaction.Extra);
        w.WriteEndObject();
    }

    private static void WriteExtra(Utf8JsonWriter w, Seq<(string Name, JsonElement Value)> extra)
    {
        foreach (var (name, value) in extra)
        {
            w.WritePropertyName(name);
            value.WriteTo(w);
        }
    }

    private static void WriteBody(Utf8JsonWriter w, StoredBody body, string? contentType)
    {
        switch (body)
        {
            case StoredBody.Json json:
                json.Value.WriteTo(w);
                break;
            case StoredBody.Text text when MediaTypes.IsJson(contentType):
                // Under a JSON content type a plain string would read as a JSON string: mark it as text.
                w.WriteStartObject();
                w.WriteString(TextMarker, text.Value);
                w.WriteEndObject();
                break;
            case StoredBody.Text text:
                w.WriteStringValue(text.Value);
                break;
            case StoredBody.Binary binary:
                w.WriteStartObject();
                w.WriteBase64String(Base64Marker, binary.Value.Span);
                w.WriteEndObject();
                break;
            default:
                w.WriteNullValue();
                break;
        }
    }

    private static StoredBody Body(JsonElement message, string? contentType)
    {
        if (!message.TryGetProperty("body", out var body) || body.ValueKind == JsonValueKind.Null)
            return StoredBody.None;
        if (IsMarker(body))
        {
            var property = body.EnumerateObject().First();
            return property.Name == Base64Marker
                ? new StoredBody.Binary(property.Value.GetBytesFromBase64())
                : new StoredBody.Text(property.Value.GetString()!);
        }
        if (body.ValueKind == JsonValueKind.String && !MediaTypes.IsJson(contentType))
            return new StoredBody.Text(body.GetString()!);
        return new StoredBody.Json(body);
    }

    /// <summary>Whether an element is one of the body markers (<c>{"$text": …}</c>, <c>{"$base64": …}</c>).</summary>
    /// <param name="element">The element.</param>
    internal static bool IsMarker(JsonElement element)
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

    private static InvalidDataException Invalid(string path, string problem) =>
        new($"fixture '{path}' is not a valid fixture file: {problem}");

    private static string? Str(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static readonly string[] InteractionMembers = ["request", "response", "recordedAt"];
    private static readonly string[] RequestMembers = ["method", "url", "headers", "body"];
    private static readonly string[] ResponseMembers = ["status", "headers", "body"];

    // The members not in known, in order; none (no allocation) in a file this version wrote.
    private static Seq<(string Name, JsonElement Value)> Extra(JsonElement obj, string[] known)
    {
        List<(string, JsonElement)>? extra = null;
        foreach (var p in obj.EnumerateObject())
            if (System.Array.IndexOf(known, p.Name) < 0)
                (extra ??= []).Add((p.Name, p.Value));
        return extra is null ? default : extra.ToSeq().Strict();
    }

    private static void WriteHeaders(Utf8JsonWriter w, Seq<(string Name, string Value)> headers)
    {
        // Each header on one line: ["name", "value"]. The writer does not indent raw values, so the line carries its own.
        w.WritePropertyName("headers");
        w.WriteStartArray();
        var indent = Encoding.ASCII.GetBytes(
            "\n" + new string(' ', w.CurrentDepth * Indented.IndentSize)
        );
        foreach (var (name, value) in headers)
        {
            var line = new ArrayBufferWriter<byte>(64);
            line.Write(indent);
            line.Write("["u8);
            WriteString(line, name);
            line.Write(", "u8);
            WriteString(line, value);
            line.Write("]"u8);
            w.WriteRawValue(line.WrittenSpan, skipInputValidation: true);
        }
        w.WriteEndArray();
    }

    private static void WriteString(ArrayBufferWriter<byte> buffer, string value)
    {
        using var w = new Utf8JsonWriter(buffer, Compact);
        w.WriteStringValue(value);
    }

    private static Seq<(string Name, string Value)> Headers(JsonElement message)
    {
        if (
            !message.TryGetProperty("headers", out var headers)
            || headers.ValueKind != JsonValueKind.Array
        )
            return Seq<(string, string)>();
        var list = new List<(string, string)>(headers.GetArrayLength());
        foreach (var h in headers.EnumerateArray())
            if (Pair(h) is { } pair)
                list.Add(pair);
        return list.ToSeq().Strict();
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
}
