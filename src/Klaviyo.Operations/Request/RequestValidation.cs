using System.Text;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Klaviyo;

/// <summary>
/// Everything checked before a request is sent, each check collecting every problem it finds
/// (<see cref="Validation{FAIL, SUCCESS}"/>): the options, the operation, the headers. Messages name the problem and
/// never show a secret. Pure.
/// </summary>
internal static class RequestValidation
{
    /// <summary>
    /// The longest wait or timeout the runtime's timers take (about 49.7 days); longer ones would fail at run time.
    /// </summary>
    public static readonly TimeSpan LongestWait = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    /// <summary>The problems with <paramref name="options"/>.</summary>
    /// <param name="options">The options.</param>
    public static Seq<string> Options(KlaviyoOptions options)
    {
        var o = options;
        var problems = Seq<string>();
        if (
            !o.Protocol.Equals("https", StringComparison.OrdinalIgnoreCase)
            && !o.Protocol.Equals("http", StringComparison.OrdinalIgnoreCase)
        )
            problems = problems.Add(
                $"protocol must be 'https' or 'http', not '{Printable(o.Protocol)}'"
            );
        if (string.IsNullOrWhiteSpace(o.Host))
            problems = problems.Add("host is empty");
        else if (o.Host.Contains("://"))
            problems = problems.Add(
                $"host '{Printable(o.Host)}' must not include a scheme; set Protocol instead"
            );
        else if (o.Host.Any(c => c == '/' || char.IsWhiteSpace(c) || char.IsControl(c)))
            problems = problems.Add(
                $"host '{Printable(o.Host)}' must not contain '/', whitespace or control characters"
            );
        else if (Uri.CheckHostName(o.Host.Trim('[', ']')) == UriHostNameType.Unknown)
            problems = problems.Add(
                $"host '{Printable(o.Host)}' is not a valid host name or IP address"
            );
        if (o.Port is { } port && (port < 1 || port > 65535))
            problems = problems.Add($"port must be within 1–65535, not {port}");
        if (o.Path.Any(c => c is '?' or '#' || char.IsWhiteSpace(c) || char.IsControl(c)))
            problems = problems.Add(
                $"base path '{Printable(o.Path)}' must not contain '?', '#', whitespace or control characters"
            );
        else if (HasDotSegment(o.Path))
            problems = problems.Add(
                $"base path '{Printable(o.Path)}' must not contain '.' or '..' segments (they would be removed before sending)"
            );
        problems = problems + Timing(o) + Credentials.Problems(o);
        if (o.ApiKey is { } key && Unsendable(key.Reveal()) is { } keyProblem)
            problems = problems.Add($"the API key {keyProblem}");
        if (o.AccessToken is { } token && Unsendable(token.Reveal()) is { } tokenProblem)
            problems = problems.Add($"the access token {tokenProblem}");
        return problems;
    }

    private static Seq<string> Timing(KlaviyoOptions o)
    {
        var problems = Seq<string>();
        var timeout = o.ClientOptions.Timeout;
        if (timeout != System.Threading.Timeout.InfiniteTimeSpan)
        {
            if (timeout <= TimeSpan.Zero)
                problems = problems.Add("ClientOptions.Timeout must be positive");
            else if (timeout > LongestWait)
                problems = problems.Add(
                    $"ClientOptions.Timeout must be at most {LongestWait.TotalDays:0.#} days (or Timeout.InfiniteTimeSpan)"
                );
        }
        if (o.ClientOptions.MaxResponseBytes <= 0)
            problems = problems.Add("ClientOptions.MaxResponseBytes must be positive");
        var r = o.RetryOptions;
        if (r.MaxRetries < 0)
            problems = problems.Add("RetryOptions.MaxRetries must not be negative");
        foreach (
            var (name, value) in new[]
            {
                ("RetryIn", r.RetryIn),
                ("BaseDelay", r.BaseDelay),
                ("MaxDelay", r.MaxDelay),
                ("MaxRetryAfter", r.MaxRetryAfter),
            }
        )
            if (value < TimeSpan.Zero || value > LongestWait)
                problems = problems.Add(
                    $"RetryOptions.{name} must be within 0 and {LongestWait.TotalDays:0.#} days, not {value}"
                );
        if (!double.IsFinite(r.Factor) || r.Factor < 1)
            problems = problems.Add(
                $"RetryOptions.Factor must be a finite number of 1 or more, not {r.Factor}"
            );
        return problems;
    }

    /// <summary>The problems with <paramref name="operation"/> itself (before its query is checked against the catalog).</summary>
    /// <param name="operation">The operation.</param>
    public static Seq<string> Operation(RequestOperation operation)
    {
        var op = operation;
        var problems = op.Problems;
        if (
            !IsPlainPath(op.Path)
            && ContainsAny(
                op.Path,
                static c => c is '?' or '#' || char.IsWhiteSpace(c) || char.IsControl(c)
            )
        )
            problems = problems.Add(
                $"operation path '{Printable(op.Path)}' must not contain '?', '#', whitespace or control characters; put query parameters in Query"
            );
        else if (HasDotSegment(op.Path))
            problems = problems.Add(
                $"operation path '{Printable(op.Path)}' must not contain '.' or '..' segments (they would be removed before sending)"
            );
        // An index loop: enumerating a Seq allocates an enumerator, and this runs on every build.
        var query = op.Query;
        for (var i = 0; i < query.Count; i++)
        {
            var (name, value) = query[i];
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

    /// <summary>The problems with the headers and the credential as they would be sent.</summary>
    /// <param name="headers">The headers.</param>
    /// <param name="options">The options (for the plain-HTTP rule).</param>
    public static Seq<string> Headers(BuiltHeaders headers, KlaviyoOptions options)
    {
        var problems = Seq<string>();
        var all = headers.Headers;
        for (var i = 0; i < all.Count; i++)
        {
            var (name, value) = all[i];
            if (name.Length == 0 || ContainsAny(name, static c => !IsTokenChar(c)))
                problems = problems.Add(
                    $"header name '{Printable(name)}' is not a valid HTTP token"
                );
            if (Unsendable(value) is { } problem)
                problems = problems.Add($"header '{Printable(name)}' {problem}");
        }
        if (headers.Authorization is { } credential)
        {
            if (Unsendable(credential.Reveal()) is { } problem)
                problems = problems.Add($"the authorization header {problem}");
            if (
                options.Protocol.Equals("http", StringComparison.OrdinalIgnoreCase)
                && !RequestUrl.IsLoopback(options.Host)
                && !options.ClientOptions.AllowInsecureCredentials
            )
                problems = problems.Add(
                    $"refusing to send credentials over plain http to {Printable(options.Host)}; use https, or allow insecure credentials in the client options"
                );
        }
        return problems;
    }

    /// <summary>
    /// Whether a path has a <c>.</c> or <c>..</c> segment, written plainly or percent-encoded (<c>%2e</c>): the
    /// URL parser removes those before sending, so the request would go somewhere else than the one printed.
    /// </summary>
    /// <param name="path">The path.</param>
    public static bool HasDotSegment(string path)
    {
        var rest = path.AsSpan();
        while (true)
        {
            var slash = rest.IndexOf('/');
            if (IsDotSegment(slash < 0 ? rest : rest[..slash]))
                return true;
            if (slash < 0)
                return false;
            rest = rest[(slash + 1)..];
        }
    }

    // Whether a segment is "." or ".." once each "%2e" (any case) in it reads as ".": it is made of one or two
    // such dots and nothing else.
    private static bool IsDotSegment(ReadOnlySpan<char> segment)
    {
        var dots = 0;
        var i = 0;
        while (i < segment.Length)
        {
            if (segment[i] == '.')
                i++;
            else if (
                segment[i] == '%'
                && i + 2 < segment.Length
                && segment[i + 1] == '2'
                && (segment[i + 2] | 0x20) == 'e'
            )
                i += 3;
            else
                return false;
            if (++dots > 2)
                return false;
        }
        return dots > 0;
    }

    // Why a header value cannot be sent (without showing it: it may be a secret); null when it can.
    private static string? Unsendable(string value) =>
        IsHeaderText(value) ? null
        : value.AsSpan().IndexOfAny("\r\n\0") >= 0 ? "has a CR, LF or NUL in its value"
        : "has a character that cannot be sent in a header (only printable ASCII can)";

    /// <summary>Whether a header value holds only visible ASCII, spaces and tabs.</summary>
    /// <param name="value">The value.</param>
    public static bool IsHeaderText(string value)
    {
        foreach (var c in value)
            if (!(c == '\t' || (c >= ' ' && c <= '~')))
                return false;
        return true;
    }

    /// <summary>Shows control and non-ASCII characters as escapes so a message stays on one readable line.</summary>
    /// <param name="s">The text.</param>
    public static string Printable(string s)
    {
        if (IsHeaderText(s) && !s.Contains('\t'))
            return s;
        var sb = new StringBuilder(s.Length + 16);
        foreach (var c in s)
            if (
                char.IsControl(c)
                || char.IsSurrogate(c)
                || c
                    is '\u2028'
                        or '\u2029'
                        or (>= '\u202A' and <= '\u202E')
                        or (>= '\u2066' and <= '\u2069')
            )
                sb.Append($"\\u{(int)c:X4}");
            else
                sb.Append(c);
        return sb.ToString();
    }

    // Whether a path is visible ASCII without '?' or '#' (every path the catalog makes): no whitespace or control
    // character can be in it, so the per-character check has nothing to find. Vectorised; no delegate per character.
    private static bool IsPlainPath(string path) =>
        path.AsSpan().IndexOfAnyExceptInRange('!', '~') < 0
        && path.AsSpan().IndexOfAny('?', '#') < 0;

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
}
