namespace Klaviyo.Cli;

/// <summary>The exit codes of <c>klaviyo</c>; docs/cli.md lists them.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked (a dry run included).</summary>
    public const int Success = 0;

    /// <summary>Klaviyo answered with a non-2xx status (after any retries).</summary>
    public const int ApiError = 1;

    /// <summary>Bad arguments, an unknown operation, or a request that failed validation: nothing was sent.</summary>
    public const int Usage = 2;

    /// <summary>No usable answer: connection failure, timeout, a response that is not what it claims, a fixture with no answer.</summary>
    public const int Transport = 3;

    /// <summary>A bug in the tool: an exception nobody expected.</summary>
    public const int Internal = 70;

    /// <summary>Stopped by Ctrl+C (SIGINT) or SIGTERM.</summary>
    public const int Cancelled = 130;

    /// <summary>The exit code for a failed call.</summary>
    /// <param name="error">Why the call failed.</param>
    public static int For(KlaviyoError error) =>
        error switch
        {
            KlaviyoError.Api => ApiError,
            KlaviyoError.Validation => Usage,
            KlaviyoError.Cancelled => Cancelled,
            // Transport, Timeout and Decode: the exchange gave no answer the tool can use.
            _ => Transport,
        };
}
