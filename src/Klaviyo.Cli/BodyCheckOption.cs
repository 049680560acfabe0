using System.CommandLine;

namespace Klaviyo.Cli;

/// <summary>The <c>--no-body-check</c> option, one definition for every command that sends a body.</summary>
internal static class BodyCheckOption
{
    /// <summary>A new <c>--no-body-check</c> option.</summary>
    public static Option<bool> Create() =>
        new("--no-body-check")
        {
            Description =
                "Send the body without checking it against the operation's schema in the spec (for a field or value newer than the spec)",
        };
}
