//! Serves the tab (a zg-align checkout's www/ and the wasm package in pkg/) over plain HTTP on
//! loopback, for an owner who runs the relay and opens the tab from it. The page imports the npm
//! package's sources, package/ beside www/, served at /package/. The devnet serves the same files
//! with the same router.

use axum::Router;
use std::net::SocketAddr;
use std::path::Path;
use tower_http::services::ServeDir;

/// The tab's files: www/ at the root, pkg/ at /pkg, package/ (beside www/) at /package. No
/// `Cache-Control`: with `no-cache` a browser asks again for every file on each load, which made
/// a fresh tab's worker ready 100-200 ms later (BENCHMARKS.md, "Rounds").
pub fn router(www: &Path, pkg: &Path) -> Router {
    Router::new()
        .nest_service("/pkg", ServeDir::new(pkg))
        .nest_service("/package", ServeDir::new(www.with_file_name("package")))
        .fallback_service(ServeDir::new(www))
}

/// Binds `addr` and returns the bound address and the server's future.
pub async fn serve(addr: SocketAddr, www: &Path, pkg: &Path) -> std::io::Result<(SocketAddr, impl std::future::Future<Output = std::io::Result<()>>)> {
    for dir in [www, pkg] {
        if !dir.is_dir() {
            return Err(std::io::Error::new(std::io::ErrorKind::NotFound, format!("{} is not a directory (run from a zg-align checkout after `make build`)", dir.display())));
        }
    }
    let router = router(www, pkg);
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    Ok((local, crate::http_server::serve(listener, router)))
}
