using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Klaviyo;

/// <summary>
/// Redaction over the structure of a request and of a response: the one pass every printer, logger, tracer and
/// recorder uses. Requests never go through bytes here; responses (bytes from the network) are redacted token by
/// token, and a body that cannot be read as what its content type says is masked rather than kept in clear.
/// </summary>
internal static class RequestRedaction
{
    /// <summary>See <see cref="KlaviyoRequest.Redact"/>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="rules">The user's rules.</param>
    public static KlaviyoRequest Redact(KlaviyoRequest request, RedactionRules rules)
    {
        var scope = RedactionScope.ForRequest(request.Secrets, rules);
        var headers = DisplayOrder(
            request.Headers.Map(h => (h.Name, scope.HeaderValue(h.Name, h.Value))),
            request.ContentType,
            request.Authorization is { } credential
                ? scope.HeaderValue("authorization", credential.Reveal())
                : null
        );
        return request with
        {
            Origin = scope.Scrub(request.Origin),
            Path = RedactPath(request.Path, scope),
            Query = RedactQuery(request.Query, scope),
            Headers = headers,
            Authorization = null,
            Content = RedactContent(request.Content, scope),
            Secrets = Seq<Secret>(),
        };
    }

    // The headers as the original library listed them: the user's and the operation's, then content-type, revision,
    // the credential, then the defaults (accept, user-agent).
    private static Seq<(string Name, string Value)> DisplayOrder(
        Seq<(string Name, string Value)> headers,
        string? contentType,
        string? authorization
    )
    {
        var list = headers.ToList();
        if (contentType is not null && !list.Exists(h => Is(h.Name, "content-type")))
        {
            var revision = list.FindIndex(h => Is(h.Name, "revision"));
            list.Insert(revision < 0 ? list.Count : revision, ("content-type", contentType));
        }
        if (authorization is not null)
        {
            var revision = list.FindLastIndex(h => Is(h.Name, "revision"));
            list.Insert(revision < 0 ? list.Count : revision + 1, ("authorization", authorization));
        }
        return list.ToSeq().Strict();
    }

    private static bool Is(string name, string expected) =>
        name.Equals(expected, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The path and query of <see cref="Redact(KlaviyoRequest, RedactionRules)"/> only, without copying the rest of
    /// the request: what request matching keys on. A path or query with nothing to hide comes back as the same
    /// instance.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="rules">The user's rules.</param>
    public static (string Path, Seq<(string Name, string Value)> Query) RedactedTarget(
        KlaviyoRequest request,
        RedactionRules rules
    )
    {
        var scope = RedactionScope.ForRequest(request.Secrets, rules);
        return (RedactPath(request.Path, scope), RedactQuery(request.Query, scope));
    }

    // Names scrubbed, values as QueryValue shows them; the same sequence when nothing changes.
    private static Seq<(string Name, string Value)> RedactQuery(
        Seq<(string Name, string Value)> query,
        RedactionScope scope
    )
    {
        if (query.IsEmpty)
            return query;
        List<(string, string)>? changed = null;
        var i = 0;
        foreach (var (name, value) in query)
        {
            var shownName = scope.Scrub(name);
            var shownValue = scope.QueryValue(name, value);
            if (
                changed is null
                && !(ReferenceEquals(shownName, name) && ReferenceEquals(shownValue, value))
            )
            {
                changed = new List<(string, string)>(query.Count);
                foreach (var earlier in query.Take(i))
                    changed.Add(earlier);
            }
            changed?.Add((shownName, shownValue));
            i++;
        }
        return changed is null ? query : changed.ToSeq().Strict();
    }

    /// <summary>The redacted URL only: what request matching and tracing need.</summary>
    /// <param name="request">The request.</param>
    /// <param name="rules">The user's rules.</param>
    public static string RedactedUrl(KlaviyoRequest request, RedactionRules rules)
    {
        var scope = RedactionScope.ForRequest(request.Secrets, rules);
        var sb = new StringBuilder(request.Origin.Length + request.Path.Length + 64);
        sb.Append(scope.Scrub(request.Origin)).Append(RedactPath(request.Path, scope));
        PercentEncoding.AppendPairs(sb, RedactQuery(request.Query, scope), '?');
        return sb.ToString();
    }

    /// <summary>A response with secret headers masked, secret body fields masked and secret values scrubbed.</summary>
    /// <param name="response">The response.</param>
    /// <param name="secrets">The secrets of the request that produced it (a response may echo them).</param>
    /// <param name="rules">The user's rules.</param>
    public static RawResponse Redact(
        RawResponse response,
        Seq<Secret> secrets,
        RedactionRules rules
    )
    {
        var scope = RedactionScope.ForResponse(secrets, rules);
        var contentType = response
            .Headers.Find(h => h.Name.Equals("content-type", StringComparison.OrdinalIgnoreCase))
            .Map(h => h.Value)
            .IfNoneUnsafe((string?)null);
        return response with
        {
            Headers = response.Headers.Map(h => (h.Name, scope.HeaderValue(h.Name, h.Value))),
            Body = RedactBody(response.Body, contentType, scope),
        };
    }

    /// <summary>
    /// A response body as it may be shown or stored. JSON is redacted token by token; JSON that does not parse is
    /// scrubbed as text, or masked whole when it names a secret field (its value could not be found reliably); form
    /// bodies field by field; other text and bytes scrubbed of secret values.
    /// </summary>
    /// <param name="body">The body.</param>
    /// <param name="contentType">Its content type.</param>
    /// <param name="scope">What to hide.</param>
    public static ReadOnlyMemory<byte> RedactBody(
        ReadOnlyMemory<byte> body,
        string? contentType,
        RedactionScope scope
    )
    {
        if (body.IsEmpty)
            return body;
        if (MediaTypes.IsJson(contentType))
        {
            var redacted = JsonRedaction.Redact(body, scope);
            if (redacted.IsSome)
                return redacted.IfNone(body);
            return NamesASecretField(body, scope)
                ? Encoding.UTF8.GetBytes(
                    $"{Redaction.Mask} (a body of {body.Length} bytes that is not well-formed JSON and names a secret field)"
                )
                : ScrubBytes(body, scope);
        }
        if (MediaTypes.IsForm(contentType) && Utf8.IsValid(body.Span))
        {
            var text = Encoding.UTF8.GetString(body.Span);
            var fields = UrlParts.ParsePairs(text, plusIsSpace: true);
            var shown = scope.Fields(fields);
            return shown == fields
                ? body
                : Encoding.UTF8.GetBytes(PercentEncoding.EncodePairs(shown));
        }
        return ScrubBytes(body, scope);
    }

    private static bool NamesASecretField(ReadOnlyMemory<byte> body, RedactionScope scope)
    {
        var text = Encoding.UTF8.GetString(body.Span);
        foreach (var name in Redaction.ResponseSecretFields.Concat(scope.Rules.BodyFields))
            if (text.Contains(name, StringComparison.OrdinalIgnoreCase))
                return true;
        // An escaped name ("access\u005ftoken") is a secret field too; any escape in a name is suspicious enough.
        return text.Contains("\\u", StringComparison.Ordinal);
    }

    private static string RedactPath(string path, RedactionScope scope)
    {
        if (scope.Secrets.IsEmpty)
            return path;
        // Without escapes each decoded segment is a piece of the path: when the path holds no secret, none does.
        if (!path.Contains('%') && ReferenceEquals(scope.Scrub(path), path))
            return path;
        var segments = path.Split('/');
        var changed = false;
        for (var i = 0; i < segments.Length; i++)
        {
            var decoded = UrlParts.Decode(segments[i], plusIsSpace: false);
            var scrubbed = scope.Scrub(decoded);
            if (ReferenceEquals(scrubbed, decoded))
                continue;
            segments[i] = PercentEncoding.Encode(scrubbed);
            changed = true;
        }
        return changed ? string.Join('/', segments) : path;
    }

    private static RequestContent RedactContent(RequestContent content, RedactionScope scope) =>
        content switch
        {
            RequestContent.Json json => RedactJson(json, scope),
            RequestContent.Form form => new RequestContent.Form(scope.Fields(form.Fields)),
            RequestContent.Multipart multipart => multipart with
            {
                Parts = multipart.Parts.Map(p => RedactPart(p, scope)),
            },
            _ => content,
        };

    private static RequestContent RedactJson(RequestContent.Json json, RedactionScope scope)
    {
        var original = json.ToBytes();
        return JsonRedaction
            .Redact(original, scope)
            .Match(
                bytes =>
                    bytes.Equals(original)
                        ? json
                        : new RequestContent.Json(JsonDocument.Parse(bytes).RootElement, bytes),
                () => new RequestContent.Json(MaskElement)
            );
    }

    private static MultipartPart RedactPart(MultipartPart part, RedactionScope scope)
    {
        if (part.FileName is null && Utf8.IsValid(part.Content.Span))
        {
            var value = Encoding.UTF8.GetString(part.Content.Span);
            var shown = scope.Field(part.Name, value);
            return shown == value ? part : part with { Content = Encoding.UTF8.GetBytes(shown) };
        }
        var scrubbed = ScrubBytes(part.Content, scope);
        return scrubbed.Equals(part.Content) ? part : part with { Content = scrubbed };
    }

    /// <summary>Text is scrubbed as text; other bytes have the UTF-8 form of each secret replaced.</summary>
    public static ReadOnlyMemory<byte> ScrubBytes(ReadOnlyMemory<byte> bytes, RedactionScope scope)
    {
        if (scope.Secrets.IsEmpty || bytes.IsEmpty)
            return bytes;
        if (Utf8.IsValid(bytes.Span))
        {
            var text = Encoding.UTF8.GetString(bytes.Span);
            var scrubbed = scope.Scrub(text);
            return ReferenceEquals(scrubbed, text) ? bytes : Encoding.UTF8.GetBytes(scrubbed);
        }
        var current = bytes.ToArray();
        var changed = false;
        var mask = Encoding.UTF8.GetBytes(Redaction.Mask);
        foreach (var secret in scope.Secrets.Filter(s => s.Length >= 4))
        {
            var needle = Encoding.UTF8.GetBytes(secret);
            if (current.AsSpan().IndexOf(needle) < 0)
                continue;
            changed = true;
            using var ms = new MemoryStream(current.Length);
            var rest = current.AsSpan();
            int at;
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

    private static readonly JsonElement MaskElement = JsonDocument
        .Parse("\"" + Redaction.Mask + "\"")
        .RootElement;
}
