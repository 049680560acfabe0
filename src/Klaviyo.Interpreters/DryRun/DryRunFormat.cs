namespace Klaviyo;

/// <summary>How <see cref="Interpreter.DryRun"/> prints each request.</summary>
public enum DryRunFormat
{
    /// <summary>A copy-pasteable <c>curl</c> command (see <see cref="RequestRendering.ToCurl"/>).</summary>
    Curl,

    /// <summary>An HTTP/1.1 request message (see <see cref="RequestRendering.ToHttpMessage"/>).</summary>
    Http,
}
