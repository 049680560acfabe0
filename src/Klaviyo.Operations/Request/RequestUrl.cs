using System.Net;
using System.Text;

namespace Klaviyo;

/// <summary>
/// Where a request goes: <c>protocol://host[:port]</c> (the origin) and the path, base path first. The query stays
/// pairs until the URL is written (<see cref="KlaviyoRequest.Url"/>). Pure.
/// </summary>
internal static class RequestUrl
{
    /// <summary><c>protocol://host[:port]</c>, the protocol lower-cased, an IPv6 host in brackets.</summary>
    /// <param name="options">The options (assumed valid).</param>
    public static string Origin(KlaviyoOptions options)
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
        return sb.ToString();
    }

    /// <summary>The base path as sent: empty, or <c>/</c> followed by it without a trailing slash.</summary>
    /// <param name="options">The options.</param>
    public static string BasePath(KlaviyoOptions options)
    {
        var basePath = options.Path.Trim();
        if (basePath.Length == 0)
            return "";
        basePath = basePath.TrimEnd('/');
        return basePath.Length == 0 ? ""
            : basePath.StartsWith('/') ? basePath
            : "/" + basePath;
    }

    /// <summary>The full path: base path, then the operation's path (with a leading <c>/</c>).</summary>
    /// <param name="basePath">The base path as <see cref="BasePath"/> gives it.</param>
    /// <param name="operationPath">The operation's path.</param>
    public static string Path(string basePath, string operationPath) =>
        operationPath.StartsWith('/')
            ? (basePath.Length == 0 ? operationPath : basePath + operationPath)
            : basePath + "/" + operationPath;

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
}
