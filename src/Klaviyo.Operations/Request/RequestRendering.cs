using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using LanguageExt;

namespace Klaviyo;

/// <summary>
/// Renders a request as text a person can read or paste: a <c>curl</c> command or an HTTP/1.1 message, from the
/// request's structure after <see cref="KlaviyoRequest.Redact"/> (nothing secret is shown). JSON bodies are
/// pretty-printed, form bodies shown field by field, multipart bodies summarised. Pure.
/// </summary>
/// <example><code>
/// var printed = Profiles.GetProfiles().Build(options).Map(request => request.ToCurl());
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
    /// argument quoted for a POSIX shell. The credential is never shown: an API key is written as
    /// <c>"$KLAVIYO_API_KEY"</c> and an access token as <c>"$KLAVIYO_ACCESS_TOKEN"</c>, so the command runs as
    /// pasted once the variable is set; other secrets are <c>[REDACTED]</c>.
    /// </summary>
    /// <example><code>
    /// curl --request 'GET' \
    ///   --url 'https://a.klaviyo.com/api/profiles?page%5Bsize%5D=2' \
    ///   --header "authorization: Klaviyo-API-Key $KLAVIYO_API_KEY"
    /// </code></example>
    /// <param name="request">The request.</param>
    /// <param name="rules">Extra redaction rules; <see cref="RedactionRules.Default"/> when <c>null</c>.</param>
    public static string ToCurl(this KlaviyoRequest request, RedactionRules? rules = null)
    {
        var safe = request.Redact(rules);
        var sb = new StringBuilder(512);
        sb.Append("curl --request ").Append(ShellQuote(safe.Method.Method));
        sb.Append(Continuation).Append("--url ").Append(ShellQuote(safe.Url));
        var multipart = safe.Content is RequestContent.Multipart;
        foreach (var (name, value) in DisplayHeaders(safe))
        {
            // curl writes its own multipart boundary, so ours must not be sent alongside its body.
            if (multipart && name.Equals("content-type", StringComparison.OrdinalIgnoreCase))
                continue;
            sb.Append(Continuation).Append("--header ").Append(HeaderArgument(name, value));
        }
        switch (safe.Content)
        {
            case RequestContent.Json json:
                sb.Append(Continuation)
                    .Append("--data-raw ")
                    .Append(ShellQuote(Pretty(json.Value)));
                break;
            case RequestContent.Form form:
                // curl encodes the part after '=' itself and expects the name already encoded.
                foreach (var (name, value) in form.Fields)
                    sb.Append(Continuation)
                        .Append("--data-urlencode ")
                        .Append(ShellQuote($"{PercentEncoding.Encode(name)}={value}"));
                break;
            case RequestContent.Multipart parts:
                foreach (var part in parts.Parts)
                {
                    if (part.FileName is null && Utf8.IsValid(part.Content.Span))
                        sb.Append(Continuation)
                            .Append("--form-string ")
                            .Append(
                                ShellQuote(
                                    $"{part.Name}={Encoding.UTF8.GetString(part.Content.Span)}"
                                )
                            );
                    else
                    {
                        var file = (part.FileName ?? "part")
                            .Replace("\\", "\\\\")
                            .Replace("\"", "\\\"");
                        var type = part.ContentType is null ? "" : $";type={part.ContentType}";
                        sb.Append(Continuation)
                            .Append("--form ")
                            .Append(ShellQuote($"{part.Name}=@\"{file}\"{type}"));
                    }
                }
                break;
        }
        return sb.ToString();
    }

    /// <summary>
    /// The request as an HTTP/1.1 message: request line (path and query), <c>host</c>, the headers in order
    /// (<c>content-type</c> and the masked <c>authorization</c> included), a blank line and the body. JSON bodies are
    /// pretty-printed, form bodies shown as sent, multipart bodies summarised (text fields shown, file contents
    /// replaced by their size). Nothing secret is shown.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="rules">Extra redaction rules; <see cref="RedactionRules.Default"/> when <c>null</c>.</param>
    public static string ToHttpMessage(this KlaviyoRequest request, RedactionRules? rules = null)
    {
        var safe = request.Redact(rules);
        var sb = new StringBuilder(512);
        sb.Append(safe.Method.Method).Append(' ').Append(safe.Path);
        PercentEncoding.AppendPairs(sb, safe.Query, '?');
        sb.Append(" HTTP/1.1\n");
        sb.Append("host: ").Append(Authority(safe.Origin)).Append('\n');
        foreach (var (name, value) in DisplayHeaders(safe))
            sb.Append(name).Append(": ").Append(value).Append('\n');
        switch (safe.Content)
        {
            case RequestContent.Json json:
                sb.Append('\n').Append(Pretty(json.Value));
                break;
            case RequestContent.Form form:
                sb.Append('\n').Append(PercentEncoding.EncodePairs(form.Fields));
                break;
            case RequestContent.Multipart multipart:
                sb.Append('\n');
                foreach (var part in multipart.Parts)
                {
                    sb.Append("--").Append(multipart.Boundary).Append('\n');
                    sb.Append("Content-Disposition: form-data; name=\"")
                        .Append(part.Name)
                        .Append('"');
                    if (part.FileName is not null)
                        sb.Append("; filename=\"").Append(part.FileName).Append('"');
                    sb.Append('\n');
                    if (part.ContentType is not null)
                        sb.Append("Content-Type: ").Append(part.ContentType).Append('\n');
                    sb.Append('\n');
                    if (part.FileName is null && Utf8.IsValid(part.Content.Span))
                        sb.Append(Encoding.UTF8.GetString(part.Content.Span));
                    else
                        sb.Append('[').Append(part.Content.Length).Append(" bytes]");
                    sb.Append('\n');
                }
                sb.Append("--").Append(multipart.Boundary).Append("--");
                break;
            default:
                sb.Length--;
                break;
        }
        return sb.ToString();
    }

    /// <summary>
    /// Quotes <paramref name="value"/> as one POSIX shell word: wrapped in single quotes, each <c>'</c> written as
    /// <c>'\''</c>. Nothing inside is expanded by the shell.
    /// </summary>
    /// <param name="value">The argument.</param>
    public static string ShellQuote(string value) => "'" + value.Replace("'", "'\\''") + "'";

    // The headers as shown: the redacted list (masked authorization last), the content type after the user's.
    private static Seq<(string Name, string Value)> DisplayHeaders(KlaviyoRequest safe)
    {
        var headers = safe.Headers;
        if (safe.ContentType is { } type && safe.Header("content-type").IsNone)
            headers = ("content-type", type).Cons(headers);
        return headers;
    }

    // A masked credential becomes a reference to the variable holding it, so the command runs as pasted.
    private static string HeaderArgument(string name, string value)
    {
        if (name.Equals("authorization", StringComparison.OrdinalIgnoreCase))
        {
            if (value == "Klaviyo-API-Key " + Secret.Mask)
                return "\"authorization: Klaviyo-API-Key $KLAVIYO_API_KEY\"";
            if (value == "Bearer " + Secret.Mask)
                return "\"authorization: Bearer $KLAVIYO_ACCESS_TOKEN\"";
        }
        return ShellQuote($"{name}: {value}");
    }

    private static string Authority(string origin)
    {
        var schemeEnd = origin.IndexOf("://", StringComparison.Ordinal);
        return schemeEnd < 0 ? origin : origin[(schemeEnd + 3)..];
    }

    /// <summary>JSON pretty-printed with two-space indents and <c>\n</c> newlines.</summary>
    /// <param name="value">The JSON value.</param>
    internal static string Pretty(JsonElement value)
    {
        using var buffer = new MemoryStream(256);
        using (var writer = new Utf8JsonWriter(buffer, PrettyJson))
            value.WriteTo(writer);
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
