namespace Klaviyo.Cli;

/// <summary>The command line asks for something the tool cannot do; exits with <see cref="ExitCodes.Usage"/>.</summary>
/// <param name="message">What is wrong and how to fix it, for a person.</param>
internal sealed class UsageException(string message) : Exception(message);
