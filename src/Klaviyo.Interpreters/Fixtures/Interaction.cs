using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Klaviyo;

/// <summary>
/// One recorded exchange of a fixture: the request as sent (redacted), the response as received (redacted), and when
/// it was recorded. The file format is <see cref="FixtureFile"/>; members the format does not know are kept in
/// <see cref="Extra"/> and written back.
/// </summary>
/// <param name="Request">The request.</param>
/// <param name="Response">The response.</param>
/// <param name="RecordedAt">When it was recorded; <c>null</c> when the file did not say.</param>
public sealed record Interaction(
    RecordedRequest Request,
    RecordedResponse Response,
    DateTimeOffset? RecordedAt
)
{
    /// <summary>Members of the interaction this version does not know, kept as they were.</summary>
    public Seq<(string Name, JsonElement Value)> Extra { get; init; }

    /// <summary>
    /// An interaction from a request and its response, both redacted with <paramref name="rules"/> (and the built-in
    /// secrets) before anything is kept.
    /// </summary>
    /// <param name="request">The request as sent.</param>
    /// <param name="response">The response as received.</param>
    /// <param name="recordedAt">When.</param>
    /// <param name="rules">Extra redaction rules.</param>
    public static Interaction Record(
        KlaviyoRequest request,
        RawResponse response,
        DateTimeOffset recordedAt,
        RedactionRules? rules = null
    )
    {
        var safeRequest = request.Redact(rules);
        var safeResponse = response.Redact(request, rules);
        return new Interaction(
            RecordedRequest.From(safeRequest),
            RecordedResponse.From(safeResponse),
            new DateTimeOffset(
                recordedAt.UtcDateTime.Ticks
                    - recordedAt.UtcDateTime.Ticks % TimeSpan.TicksPerSecond,
                TimeSpan.Zero
            )
        );
    }
}

/// <summary>A recorded request: method, absolute URL (percent-encoded), headers in order, body.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Url">The URL as sent, redacted.</param>
/// <param name="Headers">The headers as sent (the credential masked, content type included).</param>
/// <param name="Body">The body.</param>
public sealed record RecordedRequest(
    string Method,
    string Url,
    Seq<(string Name, string Value)> Headers,
    StoredBody Body
)
{
    /// <summary>Members this version does not know, kept as they were.</summary>
    public Seq<(string Name, JsonElement Value)> Extra { get; init; }

    /// <summary>The recorded form of a (redacted) request.</summary>
    /// <param name="safe">The request, already redacted.</param>
    public static RecordedRequest From(KlaviyoRequest safe)
    {
        return new RecordedRequest(
            safe.Method.Method,
            safe.Url,
            safe.Headers,
            safe.Content switch
            {
                RequestContent.Json json => new StoredBody.Json(json.Value),
                RequestContent.Empty => StoredBody.None,
                _ => StoredBody.Of(safe.Content.ToBytes(), safe.ContentType),
            }
        );
    }
}

/// <summary>A recorded response: status, headers in order, body.</summary>
/// <param name="Status">The HTTP status.</param>
/// <param name="Headers">The headers as received (content headers included), redacted.</param>
/// <param name="Body">The body.</param>
public sealed record RecordedResponse(
    int Status,
    Seq<(string Name, string Value)> Headers,
    StoredBody Body
)
{
    /// <summary>Members this version does not know, kept as they were.</summary>
    public Seq<(string Name, JsonElement Value)> Extra { get; init; }

    /// <summary>The recorded form of a (redacted) response.</summary>
    /// <param name="safe">The response, already redacted.</param>
    public static RecordedResponse From(RawResponse safe) =>
        new(safe.StatusCode, safe.Headers, StoredBody.Of(safe.Body, ContentTypeOf(safe.Headers)));

    /// <summary>
    /// The response as replayed: the recorded bytes exactly (a JSON body recorded by this library comes back
    /// byte for byte), with a <c>content-length</c> header set to the length of the body replayed.
    /// </summary>
    public RawResponse ToRawResponse()
    {
        var body = Body.ToBytes();
        var headers = Headers.Map(h =>
            h.Name.Equals("content-length", StringComparison.OrdinalIgnoreCase)
                ? (h.Name, body.Length.ToString(CultureInfo.InvariantCulture))
                : h
        );
        return new RawResponse(Status, headers, body);
    }

    internal static string? ContentTypeOf(Seq<(string Name, string Value)> headers) =>
        headers
            .Find(h => h.Name.Equals("content-type", StringComparison.OrdinalIgnoreCase))
            .Map(h => h.Value)
            .IfNoneUnsafe((string?)null);
}

/// <summary>
/// A stored body: none, JSON (kept as JSON so the file reads and diffs well), text, or bytes. See
/// docs/fixture-format.md for how each is written.
/// </summary>
public abstract record StoredBody
{
    private StoredBody() { }

    /// <summary>No body.</summary>
    public static readonly StoredBody None = new Empty();

    private static readonly JsonWriterOptions CompactWriter = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The bytes replayed.</summary>
    public abstract ReadOnlyMemory<byte> ToBytes();

    /// <summary>
    /// How <paramref name="bytes"/> are stored: JSON inline when the content type is JSON and writing the value
    /// compactly gives back exactly these bytes (so replay is byte-faithful); text when it is UTF-8; bytes otherwise.
    /// </summary>
    /// <param name="bytes">The body.</param>
    /// <param name="contentType">Its content type.</param>
    public static StoredBody Of(ReadOnlyMemory<byte> bytes, string? contentType)
    {
        if (bytes.IsEmpty)
            return None;
        if (MediaTypes.IsJson(contentType))
        {
            try
            {
                using var document = JsonDocument.Parse(bytes);
                var root = document.RootElement;
                if (
                    root.ValueKind != JsonValueKind.Null
                    && !FixtureFile.IsMarker(root)
                    && Compact(root).AsSpan().SequenceEqual(bytes.Span)
                )
                    return new Json(root.Clone());
            }
            catch (JsonException) { }
        }
        return Utf8.IsValid(bytes.Span)
            ? new Text(Encoding.UTF8.GetString(bytes.Span))
            : new Binary(bytes.ToArray());
    }

    internal static byte[] Compact(JsonElement value)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, CompactWriter))
            value.WriteTo(writer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>No body.</summary>
    public sealed record Empty : StoredBody
    {
        /// <inheritdoc />
        public override ReadOnlyMemory<byte> ToBytes() => ReadOnlyMemory<byte>.Empty;
    }

    /// <summary>A JSON value, replayed written compactly.</summary>
    /// <param name="Value">The value.</param>
    public sealed record Json(JsonElement Value) : StoredBody
    {
        /// <inheritdoc />
        public override ReadOnlyMemory<byte> ToBytes() => Compact(Value);

        /// <summary>Structural equality.</summary>
        /// <param name="other">The other body.</param>
        public bool Equals(Json? other) =>
            other is not null && JsonElement.DeepEquals(Value, other.Value);

        /// <inheritdoc />
        public override int GetHashCode() => Value.ValueKind.GetHashCode();
    }

    /// <summary>UTF-8 text, replayed exactly.</summary>
    /// <param name="Value">The text.</param>
    public sealed record Text(string Value) : StoredBody
    {
        /// <inheritdoc />
        public override ReadOnlyMemory<byte> ToBytes() => Encoding.UTF8.GetBytes(Value);
    }

    /// <summary>Bytes that are not UTF-8, replayed exactly.</summary>
    /// <param name="Value">The bytes.</param>
    public sealed record Binary(ReadOnlyMemory<byte> Value) : StoredBody
    {
        /// <inheritdoc />
        public override ReadOnlyMemory<byte> ToBytes() => Value;

        /// <summary>Byte equality.</summary>
        /// <param name="other">The other body.</param>
        public bool Equals(Binary? other) =>
            other is not null && Value.Span.SequenceEqual(other.Value.Span);

        /// <inheritdoc />
        public override int GetHashCode() => Value.Length;
    }
}
