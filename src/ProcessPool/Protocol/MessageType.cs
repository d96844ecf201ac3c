namespace ProcessPool.Protocol;

/// <summary>The first byte of every frame body. See docs/protocol.md.</summary>
internal enum MessageType : byte
{
    // worker → parent
    Hello = 1,
    InitializeResult = 2,
    Result = 3,
    Canceled = 4,
    Output = 5,
    Unhandled = 6,
    Wake = 7,
    OnSocket = 8,
    Ready = 9,

    // parent → worker
    Initialize = 20,
    Define = 21,
    Invoke = 22,
    Cancel = 23,
    Shutdown = 24,
    Withdraw = 25,
    Allow = 26,
}
