using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Klaviyo;

/// <summary>
/// Hides secrets in requests and responses before they are printed or stored: the value of an
/// <c>authorization</c> header keeps its scheme and loses its credential, every secret value is scrubbed from the
/// URL, headers and body, and secret form and JSON fields are masked. Pure.
/// </summary>
/// <example><code>
/// KlaviyoRequest safe = request.Redact();
/// // safe.Header("authorization") is "Klaviyo-API-Key [REDACTED]"
/// </code></example>
public static class RequestRedaction
{
    // JSON:API error objects carry a "code" member that is not a secret; in responses it is kept.
    private static readonly System.Collections.Generic.HashSet<string> ResponseSecretFields = new(
        Redaction.SecretFields.Where(f => !f.Equals("code", StringComparison.OrdinalIgnoreCase)),
        StringComparer.OrdinalIgnoreCase
    );

    /// <summary>The options used to write redacted JSON: compact, non-ASCII kept readable.</summary>
    internal static readonly JsonSerializerOptions CompactJson = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
    };

    /// <summary>
    /// A copy of <paramref name="request"/> that is safe to print or store: URL, headers and body redacted by
    /// <paramref name="rules"/> (and the built-in secrets), and <see cref="KlaviyoRequest.Secrets"/> emptied.
    /// Redacting a redacted request changes nothing more.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="rules">Extra rules; <see cref="RedactionRules.Default"/> when <c>null</c>.</param>
    public static KlaviyoRequest Redact(this KlaviyoRequest request, RedactionRules? rules = null)
    {
        var scope = new Scope(
            rules ?? RedactionRules.Default,
            request.Secrets,
            Redaction.SecretFields
        );
        return request with
        {
            Url = RedactUrl(request.Url, scope),
            Headers = request.Headers.Map(h => (h.Name, RedactHeader(h.Name, h.Value, scope))),
            Body = RedactBody(request.Body, request.ContentType, scope),
            Secrets = Seq<string>(),
        };
    }

    /// <summary>
    /// The URL <see cref="Redact(KlaviyoRequest, RedactionRules?)"/> would give, without redacting headers and body:
    /// the cheap part that request matching needs.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="rules">Extra rules; <see cref="RedactionRules.Default"/> when <c>null</c>.</param>
    public static string RedactedUrl(this KlaviyoRequest request, RedactionRules? rules = null) =>
        RedactUrl(
            request.Url,
            new Scope(rules ?? RedactionRules.Default, request.Secrets, Redaction.SecretFields)
        );

    /// <summary>
    /// A copy of <paramref name="response"/> that is safe to store: secret headers (such as <c>set-cookie</c>)
    /// masked, token fields of JSON bodies (<c>access_token</c>, <c>refresh_token</c>, …) masked, and
    /// <paramref name="secrets"/> scrubbed everywhere (a response may echo a request's secret).
    /// </summary>
    /// <param name="response">The response.</param>
    /// <param name="secrets">The secret values of the request that produced it.</param>
    /// <param name="rules">Extra rules; <see cref="RedactionRules.Default"/> when <c>null</c>.</param>
    public static RawResponse Redact(
        this RawResponse response,
        Seq<string> secrets,
        RedactionRules? rules = null
    )
    {
        var scope = new Scope(rules ?? RedactionRules.Default, secrets, ResponseSecretFields);
        var contentType = response
            .Headers.Find(h => h.Name.Equals("content-type", StringComparison.OrdinalIgnoreCase))
            .Map(h => h.Value)
            .IfNoneUnsafe((string?)null);
        return response with
        {
            Headers = response.Headers.Map(h => (h.Name, RedactHeader(h.Name, h.Value, scope))),
            Body = RedactBody(response.Body, contentType, scope),
        };
    }

    /// <summary>Whether <paramref name="contentType"/> is <c>application/x-www-form-urlencoded</c>.</summary>
    /// <param name="contentType">The content type, or <c>null</c>.</param>
    public static bool IsForm(string? contentType) =>
        contentType is not null
        && contentType
            .TrimStart()
            .StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);

    private sealed class Scope(
        RedactionRules rules,
        Seq<string> secrets,
        System.Collections.Generic.HashSet<string> secretFields
    )
    {
        public RedactionRules Rules { get; } = rules;

        public Seq<string> Secrets { get; } =
            (secrets + rules.Values).Filter(s => !string.IsNullOrEmpty(s)).Distinct().ToSeq();

        public bool IsSecretField(string name) =>
            secretFields.Contains(name)
            || Rules.BodyFields.Exists(f => f.Equals(name, StringComparison.OrdinalIgnoreCase));

        public bool IsSecretQueryParameter(string name) =>
            Redaction.SecretFields.Contains(name)
            || Rules.QueryParameters.Exists(f =>
                f.Equals(name, StringComparison.OrdinalIgnoreCase)
            );

        // Most text holds no secret, and then no copy is made.
        public string Scrub(string text) => Redaction.Scrub(text, Secrets);

        public string Field(string name, string value)
        {
            if (IsSecretField(name))
                return Redaction.Mask;
            if (Rules.ReplaceBodyField is { } replace)
                value = replace(name, value);
            return Scrub(value);
        }
    }

    private static string RedactHeader(string name, string value, Scope scope)
    {
        var shown = Redaction.HeaderValue(name, value);
        if (scope.Rules.Headers.Exists(h => h.Equals(name, StringComparison.OrdinalIgnoreCase)))
            shown = Redaction.Mask;
        if (scope.Rules.ReplaceHeader is { } replace)
            shown = replace(name, shown);
        return scope.Scrub(shown);
    }

    private static string RedactUrl(string url, Scope scope)
    {
        var (origin, path, query) = UrlParts.Split(url);
        var sb = new StringBuilder(url.Length + 16);
        sb.Append(scope.Scrub(origin));
        var segments = path.Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            if (i > 0)
                sb.Append('/');
            var raw = segments[i];
            var decoded = UrlParts.Decode(raw, plusIsSpace: false);
            var scrubbed = scope.Scrub(decoded);
            sb.Append(scrubbed == decoded ? raw : PercentEncoding.Encode(scrubbed));
        }
        if (query is not null)
        {
            sb.Append('?');
            sb.Append(
                RedactPairs(
                    query,
                    plusIsSpace: false,
                    (name, value) =>
                    {
                        if (scope.IsSecretQueryParameter(name))
                            return Redaction.Mask;
                        if (scope.Rules.ReplaceQueryParameter is { } replace)
                            value = replace(name, value);
                        return scope.Scrub(value);
                    }
                )
            );
        }
        return sb.ToString();
    }

    // Rewrites name=value pieces; a piece that does not change keeps its original encoding.
    private static string RedactPairs(
        string encoded,
        bool plusIsSpace,
        Func<string, string, string> redact
    ) =>
        string.Join(
            "&",
            encoded
                .Split('&')
                .Select(piece =>
                {
                    if (piece.Length == 0)
                        return piece;
                    var (name, value) = UrlParts.DecodePiece(piece, plusIsSpace);
                    var redacted = redact(name, value);
                    return redacted == value ? piece : UrlParts.EncodePiece(name, redacted);
                })
        );

    private static ReadOnlyMemory<byte> RedactBody(
        ReadOnlyMemory<byte> body,
        string? contentType,
        Scope scope
    )
    {
        if (body.IsEmpty)
            return body;
        if (ResponseClassifier.IsJson(contentType) && RedactJson(body, scope) is { } json)
            return json;
        if (IsForm(contentType) && Utf8.IsValid(body.Span))
        {
            var text = Encoding.UTF8.GetString(body.Span);
            var redacted = RedactPairs(text, plusIsSpace: true, scope.Field);
            return redacted == text ? body : Encoding.UTF8.GetBytes(redacted);
        }
        if (MultipartBody.Boundary(contentType) is { } boundary)
        {
            var parsed = MultipartBody.Parse(body, boundary);
            if (parsed.IsSome)
            {
                var (parts, epilogue) = parsed.IfNoneUnsafe(
                    default((Seq<MultipartSection>, ReadOnlyMemory<byte>))
                );
                var redactedParts = parts.Map(p => RedactPart(p, scope));
                return MultipartBody.Write(redactedParts, epilogue, boundary);
            }
        }
        return ScrubBytes(body, scope);
    }

    private static MultipartSection RedactPart(MultipartSection part, Scope scope)
    {
        var headers = scope.Scrub(part.HeaderBlock);
        if (part.FileName is null && part.Name is not null && Utf8.IsValid(part.Content.Span))
        {
            var value = Encoding.UTF8.GetString(part.Content.Span);
            var redacted = scope.Field(part.Name, value);
            return part with
            {
                HeaderBlock = headers,
                Content = redacted == value ? part.Content : Encoding.UTF8.GetBytes(redacted),
            };
        }
        return part with { HeaderBlock = headers, Content = ScrubBytes(part.Content, scope) };
    }

    // Text is scrubbed as text; other bytes have the UTF-8 form of each secret replaced.
    private static ReadOnlyMemory<byte> ScrubBytes(ReadOnlyMemory<byte> bytes, Scope scope)
    {
        if (scope.Secrets.IsEmpty || bytes.IsEmpty)
            return bytes;
        if (Utf8.IsValid(bytes.Span))
        {
            var text = Encoding.UTF8.GetString(bytes.Span);
            var scrubbed = scope.Scrub(text);
            return scrubbed == text ? bytes : Encoding.UTF8.GetBytes(scrubbed);
        }
        var current = bytes.ToArray();
        var changed = false;
        var mask = Encoding.UTF8.GetBytes(Redaction.Mask);
        foreach (var secret in scope.Secrets.Filter(s => s.Length >= 4))
        {
            var needle = Encoding.UTF8.GetBytes(secret);
            var at = current.AsSpan().IndexOf(needle);
            if (at < 0)
                continue;
            changed = true;
            using var ms = new MemoryStream(current.Length);
            var rest = current.AsSpan();
            while ((at = rest.IndexOf(needle)) >= 0)
            {
                ms.Write(rest[..at]);
                ms.Write(mask);
                rest = rest[(at + needle.Length)..];
            }
            ms.Write(rest);
            current = ms.ToArray();
        }
        return changed ? current : bytes;
    }

    // Null when the body is not JSON after all (it is then scrubbed as text).
    private static ReadOnlyMemory<byte>? RedactJson(ReadOnlyMemory<byte> body, Scope scope)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(body.Span);
            var changed = false;
            root = RedactNode(root, "", scope, ref changed);
            return changed
                ? JsonSerializer.SerializeToUtf8Bytes(root, CompactJson)
                : (ReadOnlyMemory<byte>?)body;
        }
        catch (Exception e)
            when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }

    private static JsonNode? RedactNode(JsonNode? node, string field, Scope scope, ref bool changed)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var name in obj.Select(p => p.Key).ToList())
                {
                    var child = obj[name];
                    if (scope.IsSecretField(name))
                    {
                        if (!IsMask(child))
                        {
                            obj[name] = Redaction.Mask;
                            changed = true;
                        }
                        continue;
                    }
                    var redacted = RedactNode(child, name, scope, ref changed);
                    if (!ReferenceEquals(redacted, child))
                        obj[name] = redacted;
                }
                return obj;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    var child = array[i];
                    var redacted = RedactNode(child, field, scope, ref changed);
                    if (!ReferenceEquals(redacted, child))
                        array[i] = redacted;
                }
                return array;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                var text = value.GetValue<string>();
                var replaced = scope.Rules.ReplaceBodyField is { } replace
                    ? replace(field, text)
                    : text;
                replaced = scope.Scrub(replaced);
                if (replaced == text)
                    return value;
                changed = true;
                return JsonValue.Create(replaced);
            default:
                return node;
        }
    }

    private static bool IsMask(JsonNode? node) =>
        node is JsonValue v
        && v.GetValueKind() == JsonValueKind.String
        && v.GetValue<string>() == Redaction.Mask;
}
