//! A libp2p connection over data channels the worker owns: the stream muxer.

use super::bridge;
use super::channel::DataChannel;
use super::transport::RtcError;
use futures::channel::{mpsc, oneshot};
use futures::stream::FuturesUnordered;
use futures::{AsyncRead, AsyncWrite, FutureExt, StreamExt};
use libp2p::core::muxing::{StreamMuxer, StreamMuxerEvent};
use send_wrapper::SendWrapper;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

/// Resets the substream when its [`RtcStream`] is dropped without a graceful close.
pub type DropListener = SendWrapper<libp2p_webrtc_utils::DropListener<DataChannel>>;

/// One libp2p substream: `libp2p-webrtc-utils` framing over a [`DataChannel`].
pub struct RtcStream {
    inner: SendWrapper<libp2p_webrtc_utils::Stream<DataChannel>>,
}

impl RtcStream {
    pub fn new(channel: DataChannel) -> (Self, DropListener) {
        let (inner, drop_listener) = libp2p_webrtc_utils::Stream::new(channel);
        (RtcStream { inner: SendWrapper::new(inner) }, SendWrapper::new(drop_listener))
    }
}

impl AsyncRead for RtcStream {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut [u8]) -> Poll<io::Result<usize>> {
        Pin::new(&mut *self.get_mut().inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for RtcStream {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        Pin::new(&mut *self.get_mut().inner).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut *self.get_mut().inner).poll_flush(cx)
    }

    fn poll_close(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut *self.get_mut().inner).poll_close(cx)
    }
}

pub struct Connection {
    conn: u32,
    inbound: SendWrapper<mpsc::UnboundedReceiver<DataChannel>>,
    outbound: Option<SendWrapper<oneshot::Receiver<DataChannel>>>,
    drop_listeners: FuturesUnordered<DropListener>,
    idle_waker: Option<Waker>,
    closed: bool,
}

impl Connection {
    pub(super) fn new(conn: u32, inbound: mpsc::UnboundedReceiver<DataChannel>) -> Self {
        Connection {
            conn,
            inbound: SendWrapper::new(inbound),
            outbound: None,
            drop_listeners: FuturesUnordered::new(),
            idle_waker: None,
            closed: false,
        }
    }

    fn stream(&mut self, channel: DataChannel) -> RtcStream {
        let (stream, listener) = RtcStream::new(channel);
        self.drop_listeners.push(listener);
        if let Some(a) = self.idle_waker.take() { Waker::wake(a) }
        stream
    }

    fn close(&mut self) {
        if !self.closed {
            self.closed = true;
            bridge::close(self.conn);
        }
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        self.close();
    }
}

impl StreamMuxer for Connection {
    type Substream = RtcStream;
    type Error = RtcError;

    fn poll_inbound(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<RtcStream, RtcError>> {
        match futures::ready!(self.inbound.poll_next_unpin(cx)) {
            Some(channel) => Poll::Ready(Ok(self.stream(channel))),
            // The bridge dropped the connection: the tab saw it fail or close.
            None => Poll::Ready(Err(RtcError::Closed)),
        }
    }

    fn poll_outbound(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<RtcStream, RtcError>> {
        if self.outbound.is_none() {
            let Some(rx) = bridge::open_stream(self.conn) else {
                return Poll::Ready(Err(RtcError::Closed));
            };
            self.outbound = Some(SendWrapper::new(rx));
        }
        let result = futures::ready!(self.outbound.as_mut().expect("set above").poll_unpin(cx));
        self.outbound = None;
        match result {
            Ok(channel) => Poll::Ready(Ok(self.stream(channel))),
            Err(_) => Poll::Ready(Err(RtcError::Closed)),
        }
    }

    fn poll_close(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Result<(), RtcError>> {
        self.close();
        Poll::Ready(Ok(()))
    }

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<StreamMuxerEvent, RtcError>> {
        // Drive the listeners that reset streams dropped without a graceful close.
        while let Poll::Ready(Some(_)) = self.drop_listeners.poll_next_unpin(cx) {}
        self.idle_waker = Some(cx.waker().clone());
        Poll::Pending
    }
}
