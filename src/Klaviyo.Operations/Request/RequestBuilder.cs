using System.Net;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Klaviyo;

/// <summary>
/// Turns an operation plus options into a concrete <see cref="KlaviyoRequest"/>. Pure: no I/O, no clock. Bad input
/// (options or operation) is a <see cref="KlaviyoError.Validation"/> naming every problem; nothing is sent.
/// </summary>
public static class RequestBuilder
{
    /// <summary>The JSON:API media type Klaviyo's spec declares for request and response bodies.</summary>
    public const string JsonApiMediaType = "application/vnd.api+json";

    /// <summary>The user agent sent by default: the library's name and version.</summary>
    public static readonly string UserAgent =
        "klaviyo-dotnet/"
        + (
            typeof(RequestBuilder)
                .Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()
                ?.InformationalVersion.Split('+')[0]
            ?? "0.0.0"
        );

    /// <summary>Builds the concrete request.</summary>
    /// <param name="operation">The operation.</param>
    /// <param name="options">The options.</param>
    public static Either<KlaviyoError, KlaviyoRequest> Build(
        RequestOperation operation,
        KlaviyoOptions options
    )
    {
        var prepared = Prepare(options);
        var problems = operation.Problems;
        if (!prepared.Problems.IsEmpty)
            problems = problems + prepared.Problems;
        var operationProblems = CheckOperation(operation);
        if (!operationProblems.IsEmpty)
            problems = problems + operationProblems;
        var queryProblems = QueryValidation.Check(operation);
        if (!queryProblems.IsEmpty)
            problems = problems + queryProblems;
        if (!problems.IsEmpty)
            return Invalid(problems, options, operation);

        ReadOnlyMemory<byte> body;
        string? contentType;
        try
        {
            body = EncodeBody(operation.Body, options.JsonCodec, out contentType);
        }
        catch (Exception e)
            when (e
                    is NotSupportedException
                        or InvalidOperationException
                        or ArgumentException
                        or System.Text.Json.JsonException
            )
        {
            return Invalid(
                Seq1($"the request body could not be encoded as JSON: {e.Message}"),
                options,
                operation
            );
        }

        Seq<(string Name, string Value)> headers;
        bool sendsCredentials;
        Seq<string> headerProblems;
        if (operation.Headers.IsEmpty && contentType is null)
        {
            // The common case (a GET with no per-operation headers): the headers depend on the options alone.
            (headers, sendsCredentials, headerProblems) = operation.SendCredentials
                ? prepared.WithCredentials
                : prepared.WithoutCredentials;
        }
        else
        {
            headers = Headers(operation, options, contentType, out sendsCredentials);
            headerProblems = CheckHeaders(headers);
        }
        if (sendsCredentials && prepared.InsecureCredentials)
            headerProblems = headerProblems.Add(
                $"refusing to send credentials over plain http to {options.Host}; use https, or set ClientOptions.AllowInsecureCredentials"
            );
        if (!headerProblems.IsEmpty)
            return Invalid(headerProblems, options, operation);

        return new KlaviyoRequest(operation.Method, Url(prepared.Origin, operation), headers, body)
        {
            OperationId = operation.OperationId,
            Timeout = options.ClientOptions.Timeout,
            Secrets = operation.Secrets.IsEmpty
                ? prepared.Secrets
                : prepared.Secrets + operation.Secrets.Filter(v => !string.IsNullOrEmpty(v)),
        };
    }

    /// <summary>Builds only the URL: <c>protocol://host[:port]</c> + base path + operation path + <c>?</c> + query.</summary>
    /// <param name="operation">The operation.</param>
    /// <param name="options">The options (assumed valid).</param>
    public static string Url(RequestOperation operation, KlaviyoOptions options) =>
        Url(Prepare(options).Origin, operation);

    private static string Url(string origin, RequestOperation operation)
    {
        var sb = AcquireBuilder();
        sb.Append(origin);
        if (!operation.Path.StartsWith('/'))
            sb.Append('/');
        sb.Append(operation.Path);
        AppendQuery(sb, operation.Query);
        var url = sb.ToString();
        ReleaseBuilder(sb);
        return url;
    }

    private static string Origin(KlaviyoOptions options)
    {
        var sb = new StringBuilder(64);
        sb.Append(options.Protocol.ToLowerInvariant()).Append("://");
        var host = options.Host;
        if (host.Contains(':') && !host.StartsWith('['))
            sb.Append('[').Append(host).Append(']');
        else
            sb.Append(host);
        if (options.Port is { } port)
            sb.Append(':').Append(port);
        var basePath = options.Path.Trim();
        if (basePath.Length > 0)
        {
            if (!basePath.StartsWith('/'))
                sb.Append('/');
            sb.Append(basePath.TrimEnd('/'));
        }
        return sb.ToString();
    }

    // Everything that depends on the options alone is worked out once per options instance (they are immutable).
    private sealed record Prepared(
        Seq<string> Problems,
        string Origin,
        bool InsecureCredentials,
        (Seq<(string Name, string Value)>, bool, Seq<string>) WithCredentials,
        (Seq<(string Name, string Value)>, bool, Seq<string>) WithoutCredentials,
        Seq<string> Secrets
    );

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<
        KlaviyoOptions,
        Prepared
    > PreparedByOptions = new();

    private static Prepared Prepare(KlaviyoOptions options) =>
        PreparedByOptions.TryGetValue(options, out var prepared)
            ? prepared
            : PreparedByOptions.GetValue(options, PrepareUncached);

    private static Prepared PrepareUncached(KlaviyoOptions options)
    {
        var problems = CheckOptions(options);
        (Seq<(string, string)>, bool, Seq<string>) HeadersFor(bool credentials)
        {
            var op = new RequestOperation(HttpMethod.Get, "/") { SendCredentials = credentials };
            var headers = Headers(op, options, null, out var sends);
            return (headers, sends, CheckHeaders(headers));
        }
        return new Prepared(
            problems,
            problems.IsEmpty ? Origin(options) : "",
            options.Protocol.Equals("http", StringComparison.OrdinalIgnoreCase)
                && !IsLoopback(options.Host)
                && !options.ClientOptions.AllowInsecureCredentials,
            HeadersFor(true),
            HeadersFor(false),
            options.Secrets
        );
    }

    [ThreadStatic]
    private static StringBuilder? CachedBuilder;

    private static StringBuilder AcquireBuilder()
    {
        var sb = CachedBuilder;
        if (sb is null)
            return new StringBuilder(256);
        CachedBuilder = null;
        sb.Clear();
        return sb;
    }

    private static void ReleaseBuilder(StringBuilder sb)
    {
        if (sb.Capacity <= 4096)
            CachedBuilder = sb;
    }

    /// <summary>Appends <c>?name=value&amp;…</c> with every name and value percent-encoded (RFC 3986).</summary>
    /// <param name="sb">The builder.</param>
    /// <param name="query">The pairs.</param>
    public static void AppendQuery(StringBuilder sb, Seq<(string Name, string Value)> query)
    {
        var first = true;
        foreach (var (name, value) in query)
        {
            sb.Append(first ? '?' : '&');
            first = false;
            PercentEncoding.AppendEncoded(sb, name);
            sb.Append('=');
            PercentEncoding.AppendEncoded(sb, value);
        }
    }

    private static Either<KlaviyoError, KlaviyoRequest> Invalid(
        Seq<string> problems,
        KlaviyoOptions options,
        RequestOperation operation
    ) =>
        new KlaviyoError.Validation(
            problems.Map(p => Redaction.Scrub(p, options.Secrets + operation.Secrets))
        )
        {
            Attempts = 0,
        };

    private static Seq<(string Name, string Value)> Headers(
        RequestOperation operation,
        KlaviyoOptions options,
        string? contentType,
        out bool sendsCredentials
    )
    {
        var headers = options.Headers + operation.Headers;
        // An empty revision would make Klaviyo answer 400; the default revision takes its place.
        headers = headers.Filter(h =>
            !(IsNamed(h, "revision") && string.IsNullOrWhiteSpace(h.Value))
        );
        if (!operation.SendCredentials)
            headers = headers.Filter(h => !IsNamed(h, "authorization"));
        if (contentType is not null && !Has(headers, "content-type"))
            headers = headers.Add(("content-type", contentType));
        if (!Has(headers, "revision"))
            headers = headers.Add(("revision", options.EffectiveRevision));
        if (operation.SendCredentials && !Has(headers, "authorization"))
        {
            if (!string.IsNullOrEmpty(options.AccessToken))
                headers = headers.Add(("authorization", "Bearer " + options.AccessToken));
            else if (!string.IsNullOrEmpty(options.ApiKey))
                headers = headers.Add(("authorization", "Klaviyo-API-Key " + options.ApiKey));
        }
        if (!Has(headers, "accept"))
            headers = headers.Add(("accept", JsonApiMediaType));
        if (!Has(headers, "user-agent"))
            headers = headers.Add(("user-agent", UserAgent));
        sendsCredentials = Has(headers, "authorization");
        return headers;
    }

    private static ReadOnlyMemory<byte> EncodeBody(
        RequestBody body,
        IJsonCodec codec,
        out string? contentType
    )
    {
        switch (body)
        {
            case RequestBody.JsonValue json:
                contentType = JsonApiMediaType;
                return codec.Encode(json.Value);
            case RequestBody.FormFields form:
                contentType = "application/x-www-form-urlencoded";
                return Encoding.UTF8.GetBytes(FormEncode(form.Fields));
            case RequestBody.MultipartParts multipart:
                var boundary = Boundary(multipart.Parts);
                contentType = $"multipart/form-data; boundary={boundary}";
                return Multipart(multipart.Parts, boundary);
            default:
                contentType = null;
                return ReadOnlyMemory<byte>.Empty;
        }
    }

    /// <summary>Encodes form fields as <c>application/x-www-form-urlencoded</c> with RFC 3986 escaping.</summary>
    /// <param name="fields">The fields.</param>
    public static string FormEncode(Seq<(string Name, string Value)> fields)
    {
        var sb = new StringBuilder();
        AppendQuery(sb, fields);
        return sb.Length > 0 ? sb.ToString(1, sb.Length - 1) : "";
    }

    // Pure and deterministic: the boundary is derived from the content, so it cannot occur inside it by chance.
    private static string Boundary(Seq<MultipartPart> parts)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var p in parts)
        {
            sha.AppendData(
                Encoding.UTF8.GetBytes(p.Name + "\0" + p.FileName + "\0" + p.ContentType + "\0")
            );
            sha.AppendData(p.Content.Span);
        }
        return "klaviyo-" + Convert.ToHexString(sha.GetHashAndReset()).ToLowerInvariant()[..32];
    }

    private static byte[] Multipart(Seq<MultipartPart> parts, string boundary)
    {
        using var ms = new MemoryStream();
        void Write(string s) => ms.Write(Encoding.UTF8.GetBytes(s));
        foreach (var p in parts)
        {
            Write($"--{boundary}\r\n");
            Write($"Content-Disposition: form-data; name=\"{Quote(p.Name)}\"");
            if (p.FileName is not null)
                Write($"; filename=\"{Quote(p.FileName)}\"");
            Write("\r\n");
            if (p.ContentType is not null)
                Write($"Content-Type: {p.ContentType}\r\n");
            Write("\r\n");
            ms.Write(p.Content.Span);
            Write("\r\n");
        }
        Write($"--{boundary}--\r\n");
        return ms.ToArray();
    }

    private static string Quote(string s) => s.Replace("\\", "\\\\").Replace("\"", "\\\"");

    private static Seq<string> CheckOptions(KlaviyoOptions o)
    {
        var problems = Seq<string>();
        if (
            !o.Protocol.Equals("https", StringComparison.OrdinalIgnoreCase)
            && !o.Protocol.Equals("http", StringComparison.OrdinalIgnoreCase)
        )
            problems = problems.Add($"protocol must be 'https' or 'http', not '{o.Protocol}'");
        if (string.IsNullOrWhiteSpace(o.Host))
            problems = problems.Add("host is empty");
        else if (o.Host.Contains("://"))
            problems = problems.Add(
                $"host '{o.Host}' must not include a scheme; set Protocol instead"
            );
        else if (o.Host.Any(c => c == '/' || char.IsWhiteSpace(c) || char.IsControl(c)))
            problems = problems.Add(
                $"host '{Printable(o.Host)}' must not contain '/', whitespace or control characters"
            );
        else if (Uri.CheckHostName(o.Host.Trim('[', ']')) == UriHostNameType.Unknown)
            problems = problems.Add($"host '{o.Host}' is not a valid host name or IP address");
        if (o.Port is { } port && (port < 1 || port > 65535))
            problems = problems.Add($"port must be within 1–65535, not {port}");
        if (o.Path.Any(c => c is '?' or '#' || char.IsWhiteSpace(c) || char.IsControl(c)))
            problems = problems.Add(
                $"base path '{Printable(o.Path)}' must not contain '?', '#', whitespace or control characters"
            );
        if (
            o.ClientOptions.Timeout <= TimeSpan.Zero
            && o.ClientOptions.Timeout != System.Threading.Timeout.InfiniteTimeSpan
        )
            problems = problems.Add("ClientOptions.Timeout must be positive");
        if (o.RetryOptions.MaxRetries < 0)
            problems = problems.Add("RetryOptions.MaxRetries must not be negative");
        return problems;
    }

    private static Seq<string> CheckOperation(RequestOperation op)
    {
        var problems = Seq<string>();
        if (
            ContainsAny(
                op.Path,
                static c => c is '?' or '#' || char.IsWhiteSpace(c) || char.IsControl(c)
            )
        )
            problems = problems.Add(
                $"operation path '{Printable(op.Path)}' must not contain '?', '#', whitespace or control characters; put query parameters in Query"
            );
        foreach (var (name, value) in op.Query)
        {
            if (!PercentEncoding.IsWellFormed(name) || !PercentEncoding.IsWellFormed(value))
                problems = problems.Add(
                    $"query parameter '{Printable(name)}' is not well-formed Unicode (lone surrogate)"
                );
        }
        if (op.Body is RequestBody.FormFields form)
            foreach (var (name, value) in form.Fields)
                if (!PercentEncoding.IsWellFormed(name) || !PercentEncoding.IsWellFormed(value))
                    problems = problems.Add(
                        $"form field '{Printable(name)}' is not well-formed Unicode (lone surrogate)"
                    );
        return problems;
    }

    private static Seq<string> CheckHeaders(Seq<(string Name, string Value)> headers)
    {
        var problems = Seq<string>();
        foreach (var (name, value) in headers)
        {
            if (name.Length == 0 || ContainsAny(name, static c => !IsTokenChar(c)))
                problems = problems.Add(
                    $"header name '{Printable(name)}' is not a valid HTTP token"
                );
            if (value.AsSpan().IndexOfAny("\r\n\0") >= 0)
                problems = problems.Add(
                    $"header '{Printable(name)}' has a CR, LF or NUL in its value"
                );
        }
        return problems;
    }

    private static bool ContainsAny(string s, Func<char, bool> predicate)
    {
        foreach (var c in s)
            if (predicate(c))
                return true;
        return false;
    }

    private static bool IsTokenChar(char c) =>
        c
            is (>= 'a' and <= 'z')
                or (>= 'A' and <= 'Z')
                or (>= '0' and <= '9')
                or '!'
                or '#'
                or '$'
                or '%'
                or '&'
                or '\''
                or '*'
                or '+'
                or '-'
                or '.'
                or '^'
                or '_'
                or '`'
                or '|'
                or '~';

    /// <summary>Shows control characters as escapes so a message stays on one line.</summary>
    private static string Printable(string s) =>
        s.Any(char.IsControl)
            ? string.Concat(s.Select(c => char.IsControl(c) ? $"\\u{(int)c:X4}" : c.ToString()))
            : s;

    /// <summary>Whether <paramref name="host"/> is <c>localhost</c> or a loopback IP address.</summary>
    /// <param name="host">The host.</param>
    public static bool IsLoopback(string host)
    {
        var h = host.Trim('[', ']');
        if (
            h.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || h.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
        )
            return true;
        return IPAddress.TryParse(h, out var ip) && IPAddress.IsLoopback(ip);
    }

    private static bool Has(Seq<(string Name, string Value)> headers, string name) =>
        headers.Exists(h => IsNamed(h, name));

    private static bool IsNamed((string Name, string Value) h, string name) =>
        h.Name.Equals(name, StringComparison.OrdinalIgnoreCase);
}
