using System.Diagnostics;

namespace Klaviyo.Cli;

/// <summary>
/// One status line on standard error while <c>--all-pages</c> runs: pages, resources, resources per second. Only
/// made when standard error is a terminal, so scripts and logs see nothing.
/// </summary>
internal sealed class PageProgress
{
    private readonly TextWriter _error;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private bool _shown;

    private PageProgress(TextWriter error) => _error = error;

    /// <summary>A progress line on <see cref="Console.Error"/> when it is a terminal, else <c>null</c>.</summary>
    public static PageProgress? ForConsole() =>
        Console.IsErrorRedirected ? null : new PageProgress(Console.Error);

    /// <summary>Rewrites the line after a page.</summary>
    /// <param name="pages">Pages fetched so far.</param>
    /// <param name="resources">Resources written so far.</param>
    public void Report(int pages, long resources)
    {
        var seconds = Math.Max(_clock.Elapsed.TotalSeconds, 0.001);
        _error.Write(
            $"\rklaviyo: {pages} page{(pages == 1 ? "" : "s")}, {resources} resource{(resources == 1 ? "" : "s")}, {resources / seconds:0.0}/s "
        );
        _error.Flush();
        _shown = true;
    }

    /// <summary>Ends the line.</summary>
    public void Finish()
    {
        if (_shown)
            _error.WriteLine();
    }
}
