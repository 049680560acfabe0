using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace Klaviyo;

/// <summary>
/// Renders a request as text a person can read or paste: a <c>curl</c> command or an HTTP/1.1 message. Secrets are
/// always redacted first (see <see cref="RequestRedaction.Redact(KlaviyoRequest, RedactionRules?)"/>). JSON bodies
/// are pretty-printed, form bodies shown field by field, multipart bodies summarised. Pure.
/// </summary>
/// <example><code>
/// var request = RequestBuilder.Build(op, options).IfLeft(e => throw new KlaviyoException(e));
/// Console.WriteLine(request.ToCurl());
/// </code></example>
public static class RequestRendering
{
    private const string Continuation = " \\\n  ";

    private static readonly JsonWriterOptions PrettyJson = new()
    {
        Indented = true,
        IndentSize = 2,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// The request as a <c>curl</c> command, one option per line joined with <c> \</c> continuations, every
    /// argument single-quoted for a POSIX shell. Nothing secret is shown.
    /// </summary>
    /// <example><code>
    /// curl --request 'GET' \
    ///   --url 'https://a.klaviyo.com/api/profiles?page%5Bsize%5D=2' \
    ///   --header 'authorization: Klaviyo-API-Key [REDACTED]'
    /// </code></example>
    /// <param name="request">The request.</param>
    /// <param name="rules">Extra redaction rules; <see cref="RedactionRules.Default"/> when <c>null</c>.</param>
    public static string ToCurl(this KlaviyoRequest request, RedactionRules? rules = null)
    {
        var safe = request.Redact(rules);
        var contentType = safe.ContentType;
        var boundary = MultipartBody.Boundary(contentType);
        var multipart = boundary is null
            ? LanguageExt.Option<(LanguageExt.Seq<MultipartSection>, ReadOnlyMemory<byte>)>.None
            : MultipartBody.Parse(safe.Body, boundary);

        var sb = new StringBuilder(256 + safe.Body.Length * 2);
        sb.Append("curl --request ").Append(ShellQuote(safe.Method.Method));
        sb.Append(Continuation).Append("--url ").Append(ShellQuote(safe.Url));
        foreach (var (name, value) in safe.Headers)
        {
            // curl writes its own multipart boundary, so ours must not be sent alongside its body.
            if (multipart.IsSome && name.Equals("content-type", StringComparison.OrdinalIgnoreCase))
                continue;
            sb.Append(Continuation).Append("--header ").Append(ShellQuote($"{name}: {value}"));
        }
        if (safe.Body.IsEmpty)
            return sb.ToString();

        if (multipart.IsSome)
        {
            var (parts, _) = multipart.IfNoneUnsafe(
                default((LanguageExt.Seq<MultipartSection>, ReadOnlyMemory<byte>))
            );
            foreach (var part in parts)
            {
                var name = part.Name ?? "";
                if (part.FileName is null && Utf8.IsValid(part.Content.Span))
                    sb.Append(Continuation)
                        .Append("--form-string ")
                        .Append(ShellQuote($"{name}={Encoding.UTF8.GetString(part.Content.Span)}"));
                else
                {
                    var file = (part.FileName ?? "part")
                        .Replace("\\", "\\\\")
                        .Replace("\"", "\\\"");
                    var type = part.ContentType is null ? "" : $";type={part.ContentType}";
                    sb.Append(Continuation)
                        .Append("--form ")
                        .Append(ShellQuote($"{name}=@\"{file}\"{type}"));
                }
            }
        }
        else if (RequestRedaction.IsForm(contentType) && Utf8.IsValid(safe.Body.Span))
        {
            var pairs = UrlParts.ParsePairs(
                Encoding.UTF8.GetString(safe.Body.Span),
                plusIsSpace: true
            );
            // curl encodes the part after '=' itself and expects the name already encoded.
            foreach (var (name, value) in pairs)
                sb.Append(Continuation)
                    .Append("--data-urlencode ")
                    .Append(ShellQuote($"{PercentEncoding.Encode(name)}={value}"));
        }
        else if (BodyText(safe.Body, contentType) is { } text)
            sb.Append(Continuation).Append("--data-raw ").Append(ShellQuote(text));
        else
            sb.Append(Continuation)
                .Append("--data-binary ")
                .Append(ShellQuote($"<{safe.Body.Length} bytes of binary data not shown>"));
        return sb.ToString();
    }

    /// <summary>
    /// The request as an HTTP/1.1 message: request line (path and query), <c>host</c>, the headers in order, a blank
    /// line and the body. JSON bodies are pretty-printed, form bodies shown as sent, multipart bodies summarised
    /// (text fields shown, file contents replaced by their size). Nothing secret is shown.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="rules">Extra redaction rules; <see cref="RedactionRules.Default"/> when <c>null</c>.</param>
    public static string ToHttpMessage(this KlaviyoRequest request, RedactionRules? rules = null)
    {
        var safe = request.Redact(rules);
        var (origin, path, query) = UrlParts.Split(safe.Url);
        var sb = new StringBuilder(256 + safe.Body.Length * 2);
        sb.Append(safe.Method.Method).Append(' ').Append(path);
        if (query is not null)
            sb.Append('?').Append(query);
        sb.Append(" HTTP/1.1\n");
        sb.Append("host: ").Append(UrlParts.Authority(origin)).Append('\n');
        foreach (var (name, value) in safe.Headers)
            sb.Append(name).Append(": ").Append(value).Append('\n');
        if (safe.Body.IsEmpty)
            return sb.ToString(0, sb.Length - 1);

        sb.Append('\n');
        var contentType = safe.ContentType;
        var boundary = MultipartBody.Boundary(contentType);
        var multipart = boundary is null
            ? LanguageExt.Option<(LanguageExt.Seq<MultipartSection>, ReadOnlyMemory<byte>)>.None
            : MultipartBody.Parse(safe.Body, boundary);
        if (multipart.IsSome)
        {
            var (parts, _) = multipart.IfNoneUnsafe(
                default((LanguageExt.Seq<MultipartSection>, ReadOnlyMemory<byte>))
            );
            foreach (var part in parts)
            {
                sb.Append("--").Append(boundary).Append('\n');
                sb.Append(part.HeaderBlock.Replace("\r\n", "\n")).Append("\n\n");
                if (part.FileName is null && Utf8.IsValid(part.Content.Span))
                    sb.Append(Encoding.UTF8.GetString(part.Content.Span));
                else
                    sb.Append('[').Append(part.Content.Length).Append(" bytes]");
                sb.Append('\n');
            }
            sb.Append("--").Append(boundary).Append("--");
        }
        else if (BodyText(safe.Body, contentType) is { } text)
            sb.Append(text);
        else
            sb.Append('[').Append(safe.Body.Length).Append(" bytes of binary data]");
        return sb.ToString();
    }

    /// <summary>
    /// Quotes <paramref name="value"/> as one POSIX shell word: wrapped in single quotes, each <c>'</c> written as
    /// <c>'\''</c>. Nothing inside is expanded by the shell.
    /// </summary>
    /// <param name="value">The argument.</param>
    public static string ShellQuote(string value) => "'" + value.Replace("'", "'\\''") + "'";

    /// <summary>JSON pretty-printed with two-space indents and <c>\n</c> newlines; <c>null</c> when it does not parse.</summary>
    /// <param name="utf8">The UTF-8 JSON.</param>
    public static string? PrettyPrintJson(ReadOnlyMemory<byte> utf8)
    {
        try
        {
            using var document = JsonDocument.Parse(utf8);
            using var buffer = new MemoryStream(utf8.Length * 2);
            using (var writer = new Utf8JsonWriter(buffer, PrettyJson))
                document.RootElement.WriteTo(writer);
            return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // The body as text: pretty JSON when it is JSON, UTF-8 text otherwise; null for binary data.
    private static string? BodyText(ReadOnlyMemory<byte> body, string? contentType)
    {
        if (ResponseClassifier.IsJson(contentType) && PrettyPrintJson(body) is { } pretty)
            return pretty;
        return Utf8.IsValid(body.Span) ? Encoding.UTF8.GetString(body.Span) : null;
    }
}
