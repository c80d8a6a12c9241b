//! Plain HTTP servers (the tab's files here, 0G's interfaces in the devnet): axum on a tokio
//! listener, with TCP_NODELAY on every connection.
//!
//! hyper writes a response's head and its body in separate writes when the body comes later (a
//! file, a stream). On a kept-alive connection Nagle's algorithm then holds the body until the
//! peer acknowledges the head, and the peer delays that acknowledgement by up to 40 ms (Linux):
//! a cold load of the tab's files (25 then) took 340 ms on loopback, and 40-200 ms with the option. 0G's own servers (Go's
//! net/http) set TCP_NODELAY, as browsers and reqwest do on their side.

use axum::serve::ListenerExt;
use axum::Router;
use tokio::net::TcpListener;

/// Serves `router` on `listener` until the listener fails.
pub async fn serve(listener: TcpListener, router: Router) -> std::io::Result<()> {
    let listener = listener.tap_io(|tcp| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::debug!("TCP_NODELAY not set on an accepted connection: {e}");
        }
    });
    axum::serve(listener, router).await
}
