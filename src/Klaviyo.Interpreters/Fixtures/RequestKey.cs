using System.Text;

namespace Klaviyo;

/// <summary>
/// How requests are matched against a fixture: method, path and query, the query compared without regard to the
/// order of its parameters and to how they were percent-encoded. Host and port are not compared, so a fixture
/// recorded against one server replays against any.
/// </summary>
internal static class RequestKey
{
    /// <summary>The matching key: <c>GET /api/profiles?a=1&amp;b=2</c> with the query pairs sorted.</summary>
    /// <param name="method">The HTTP method.</param>
    /// <param name="url">The absolute URL.</param>
    public static string Of(string method, string url)
    {
        var (_, path, query) = UrlParts.Split(url);
        var sb = new StringBuilder(method.Length + url.Length + 8);
        sb.Append(method.ToUpperInvariant()).Append(' ');
        AppendCanonicalPath(sb, path);
        var pairs = UrlParts.ParsePairs(query, plusIsSpace: false);
        if (pairs.IsEmpty)
            return sb.ToString();
        var sorted = pairs.ToArray();
        Array.Sort(
            sorted,
            (a, b) =>
            {
                var byName = string.CompareOrdinal(a.Name, b.Name);
                return byName != 0 ? byName : string.CompareOrdinal(a.Value, b.Value);
            }
        );
        var first = true;
        foreach (var (name, value) in sorted)
        {
            sb.Append(first ? '?' : '&');
            first = false;
            PercentEncoding.AppendEncoded(sb, name);
            sb.Append('=');
            PercentEncoding.AppendEncoded(sb, value);
        }
        return sb.ToString();
    }

    /// <summary>The method and canonical path only: <c>GET /api/profiles</c>.</summary>
    /// <param name="method">The HTTP method.</param>
    /// <param name="url">The absolute URL.</param>
    public static string Route(string method, string url)
    {
        var (_, path, _) = UrlParts.Split(url);
        var sb = new StringBuilder(method.Length + path.Length + 1);
        sb.Append(method.ToUpperInvariant()).Append(' ');
        AppendCanonicalPath(sb, path);
        return sb.ToString();
    }

    /// <summary>How a request is named in messages: method, path and query as sent (already redacted).</summary>
    /// <param name="method">The HTTP method.</param>
    /// <param name="url">The absolute URL.</param>
    public static string Display(string method, string url)
    {
        var (_, path, query) = UrlParts.Split(url);
        return query is null
            ? $"{method.ToUpperInvariant()} {path}"
            : $"{method.ToUpperInvariant()} {path}?{query}";
    }

    private static void AppendCanonicalPath(StringBuilder sb, string path)
    {
        var segments = path.Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            if (i > 0)
                sb.Append('/');
            PercentEncoding.AppendEncoded(sb, UrlParts.Decode(segments[i], plusIsSpace: false));
        }
    }
}
