using Xunit.Abstractions;
using Xunit.Sdk;

namespace DepHealth.AspNetCore.TestKit;

/// <summary>
/// xunit's own framework, plus the process-wide settings every test assembly needs before its first test; each test
/// project names it with <c>[assembly: TestFramework]</c> (tests/Directory.Build.props).
/// </summary>
public sealed class TestKitFramework : XunitTestFramework
{
    public TestKitFramework(IMessageSink messageSink)
        : base(messageSink) => TestHostThreadPool.GiveBackBlockedWorkers();
}
